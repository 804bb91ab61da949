package io.recalign.recommend;

import io.recalign.alignment.RegisteredModel;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine.Option;

/** The options of the serving benchmarks that choose the model they serve, or size the one trained when none is. */
final class ServedModelOptions {

    @Option(names = "--dataset", description = "dataset whose active model to serve (default: the newest with one)")
    String dataset;

    @Option(names = "--teacher-epochs", defaultValue = "10",
            description = "most epochs of a teacher trained when missing (default ${DEFAULT-VALUE})")
    int teacherEpochs;

    @Option(names = "--sft-steps", defaultValue = "100",
            description = "optimizer steps of the SFT model trained when no model is active (default ${DEFAULT-VALUE})")
    int sftSteps;

    /** See {@link BenchService#servedModel}. */
    RegisteredModel servedModel(ApplicationContext context, PrintWriter out, ProgressBar progress) {
        return BenchService.servedModel(context, dataset, teacherEpochs, sftSteps, out, progress);
    }
}
