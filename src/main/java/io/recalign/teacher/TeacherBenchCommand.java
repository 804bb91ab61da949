package io.recalign.teacher;

import io.recalign.catalog.CatalogService;
import io.recalign.system.ContextCommand;
import java.io.PrintWriter;
import java.util.Locale;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench teacher}: training throughput and evaluation time on a stored dataset; stores nothing. */
@Command(name = "teacher", mixinStandardHelpOptions = true,
        description = "Time teacher training epochs (the first is warm-up) and one full evaluation; stores nothing.")
public final class TeacherBenchCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "dataset to train on")
    String dataset;

    @CommandLine.Mixin
    ModelOptions model;

    @Option(names = "--epochs", defaultValue = "6", description = "epochs to run, the first one as warm-up (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--json", description = "print the figures as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        TeacherJobParams params = model.params(epochs, null);
        TeacherBenchmark.Result result = new TeacherBenchmark().run(
                context.getBean(CatalogService.class).snapshot(dataset), params.config(),
                params.options(), epochs);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "teacher on %s (%d users, %d items), batch %d, %s, %d threads: %.3f s per epoch of %d"
                        + " windows (%,.0f sequences/s over %d epochs); evaluation %.2f s%n", result.dataset(),
                result.users(), result.items(), result.batchSize(), result.examples(), result.threads(),
                result.secondsPerEpoch(), result.windowsPerEpoch(), result.sequencesPerSecond(),
                result.epochsMeasured(), result.evaluationSeconds());
        if (json) {
            out.println(TeacherJson.write(result));
        }
        out.flush();
        return 0;
    }
}
