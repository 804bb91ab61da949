package io.recalign.evaluation;

import io.recalign.system.ContextCommand;
import io.recalign.system.ForegroundJobs;
import io.recalign.system.JobRequest;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates the teacher or a registry model on a dataset's test tasks as an {@code evaluation} job run in
 * the foreground (kept in the job history), prints the results table and stores it.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate the teacher or a registered model on the test tasks of a dataset and store the results.")
public final class EvaluateCommand implements ContextCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "dataset whose test users are evaluated")
    String dataset;

    @Option(names = "--model", required = true, description = "'teacher' or a registry model id")
    String model;

    @Option(names = "--decoding", description = "free or guided (registry models; default free)")
    String decoding;

    @Option(names = "--users", description = "evaluate a seeded sample of this many test users (default: all)")
    Integer users;

    @Option(names = "--seed", description = "seed of the user sample and the ItemCount N (default 42)")
    Long seed;

    @Option(names = "--batch-size", description = "prompts per generation batch (default 16)")
    Integer batchSize;

    @Option(names = "--json", description = "print the stored evaluation as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        EvaluationJobHandler.Params params = new EvaluationJobHandler.Params(model, decoding, users, seed, batchSize);
        JsonNode result = context.getBean(ForegroundJobs.class).run(
                JobRequest.of(EvaluationJobHandler.TYPE, dataset, params), ProgressBar.on(spec.commandLine().getErr()));
        StoredEvaluation stored = context.getBean(EvaluationService.class).get(result.get("evaluationId").asLong());
        PrintWriter out = spec.commandLine().getOut();
        EvaluationTable.print(out, stored);
        if (json) {
            out.println(JSON.writeValueAsString(stored));
        }
        out.flush();
        return 0;
    }
}
