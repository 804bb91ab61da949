package io.recalign.teacher;

import io.recalign.system.ContextCommand;
import io.recalign.system.ForegroundJobs;
import io.recalign.system.JobRequest;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import java.util.Locale;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * Trains a teacher as a {@code teacher} job run in the foreground: the job stays in the history, progress
 * goes to standard error one line per epoch, and the stored teacher becomes the dataset's active one.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the dataset's SASRec teacher, store it and make it the active one.")
final class TeacherTrainCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "dataset to train on")
    String dataset;

    @CommandLine.Mixin
    ModelOptions model;

    @Option(names = "--epochs", description = "most epochs (default 200)")
    Integer epochs;

    @Option(names = "--patience", description = "epochs without a better validation NDCG@10 before stopping (default 10)")
    Integer patience;

    @Option(names = "--json", description = "print the result as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        TeacherJobParams params = model.params(epochs, patience);
        JsonNode result = context.getBean(ForegroundJobs.class).run(
                JobRequest.of(TeacherJobHandler.TYPE, dataset, params), ProgressBar.on(spec.commandLine().getErr()));
        PrintWriter out = spec.commandLine().getOut();
        JsonNode test = result.get("test");
        out.printf(Locale.ROOT, "teacher %d of %s: best epoch %d of %d; test NDCG@10 %.4f, HR@10 %.4f,"
                        + " sampled NDCG@10 %.4f; %.1f s (%.3f s per epoch)%n",
                result.get("teacher_id").asLong(), dataset, result.get("best_epoch").asInt(),
                result.get("epochs_run").asInt(), test.get("ndcg@10").asDouble(), test.get("hr@10").asDouble(),
                test.get("sampled_ndcg@10").asDouble(), result.get("train_seconds").asDouble(),
                result.get("seconds_per_epoch").asDouble());
        if (json) {
            out.println(result);
        }
        out.flush();
        return 0;
    }
}
