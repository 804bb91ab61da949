package io.recalign.alignment;

import io.recalign.system.ContextCommand;
import io.recalign.system.ForegroundJobs;
import io.recalign.system.JobRequest;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code sft}: runs an SFT job in the foreground with a progress bar and prints the registered model. */
@Command(name = "sft", mixinStandardHelpOptions = true,
        description = "Fine-tune a language model on a dataset's instruction set (built first if the dataset has none)"
                + " and register the best checkpoint.")
public final class SftCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "the dataset to train for")
    String dataset;

    @Option(names = "--base-model", paramLabel = "DIR",
            description = "Hugging Face checkpoint to fine-tune with its own tokenizer (default: a new model with the catalog tokenizer)")
    String baseModel;

    @Option(names = "--from-model", paramLabel = "ID", description = "registered model to fine-tune further")
    Long fromModel;

    @Option(names = "--instruction-set", paramLabel = "ID",
            description = "instruction set to train on (default the --from-model's, else the dataset's latest,"
                    + " built first when it has none)")
    Long instructionSet;

    @Option(names = "--steps", description = "optimizer steps (default: 3 epochs of the training examples)")
    Integer steps;

    @Option(names = "--epochs", description = "passes over the training examples when --steps is not given (default 3)")
    Integer epochs;

    @Option(names = "--batch-size", description = "sequences per micro-batch (default 16)")
    Integer batchSize;

    @Option(names = "--accumulation", description = "micro-batches per optimizer step (default 1)")
    Integer accumulation;

    @Option(names = "--lr", description = "peak learning rate (default 1e-3 from scratch, 1e-4 for a pretrained model)")
    Double lr;

    @Option(names = "--eval-every", description = "steps between validations (default a tenth of the steps)")
    Integer evalEvery;

    @Option(names = "--seed", description = "model initialisation, batch order and instruction-set build (default 42)")
    Long seed;

    @Option(names = "--threads", description = "intra-op threads for training (default: the engine's)")
    Integer threads;

    @Option(names = "--unlikelihood", paramLabel = "W",
            description = "weight of the unlikelihood loss on titles already listed or in the history (default 0)")
    Double unlikelihood;

    @Option(names = "--sequence-unlikelihood", paramLabel = "W",
            description = "weight of the unlikelihood loss on the model's own greedy answers,"
                    + " every --sequence-every steps (default 0)")
    Double sequenceUnlikelihood;

    @Option(names = "--sequence-every", paramLabel = "K",
            description = "steps between sequence-level unlikelihood terms (default 4)")
    Integer sequenceEvery;

    @Option(names = "--category-init",
            description = "start a new model's title tokens close to their categories' tokens (default off)")
    Boolean categoryInit;

    @Option(names = "--control-unlikelihood", paramLabel = "W",
            description = "weight of the loss on the probability of titles a category intention rules out (default 0)")
    Double controlUnlikelihood;

    @Option(names = "--json", description = "print {\"model_id\", \"steps\", \"train_loss\", \"valid_loss\", \"valid_recall@10\", \"seconds\"} last")
    boolean json;

    /** The job's parameters: what the options name, defaults for the rest. */
    SftParams params() {
        return new SftParams(baseModel, fromModel, instructionSet, null, steps, epochs, batchSize, accumulation, lr,
                null, null, null, null, evalEvery, null, null, null, null, null, seed, null, threads,
                unlikelihood, sequenceUnlikelihood, sequenceEvery, categoryInit, controlUnlikelihood);
    }

    @Override
    public int run(ApplicationContext context) {
        SftParams params = params();
        JsonNode result = context.getBean(ForegroundJobs.class)
                .run(JobRequest.of(SftJobHandler.TYPE, dataset, params), ProgressBar.on(spec.commandLine().getErr()));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "registered model %d (SFT, dataset %s): %d steps, train loss %.4f, valid loss %.4f,"
                        + " valid Recall@10 %.4f (best at step %d), %.0f s%n",
                result.get("model_id").asLong(), dataset, result.get("steps").asInt(), result.get("train_loss").asDouble(),
                result.get("valid_loss").asDouble(), result.get("valid_recall@10").asDouble(),
                result.get("best_step").asInt(), result.get("seconds").asDouble());
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            for (String field : new String[] {"model_id", "steps", "train_loss", "valid_loss", "valid_recall@10", "seconds"}) {
                summary.put(field, result.get(field));
            }
            CommandOutput.printJson(out, summary);
        }
        out.flush();
        return 0;
    }
}
