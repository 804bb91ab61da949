package io.recalign.alignment;

import io.recalign.system.ContextCommand;
import io.recalign.system.ForegroundJobs;
import io.recalign.system.JobRequest;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code rl}: runs an RL job in the foreground with a progress bar and prints the registered model. */
@Command(name = "rl", mixinStandardHelpOptions = true,
        description = "Align a registered SFT model with reinforcement learning against the teacher-based reward"
                + " (PPO, or GRPO) and register the best validated policy as an RL model.")
public final class RlCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "the dataset the model was fine-tuned for")
    String dataset;

    @Option(names = "--from", required = true, paramLabel = "MODEL_ID",
            description = "registered SFT model: the starting policy and the frozen reference")
    Long fromModel;

    @Option(names = "--algorithm", description = "ppo (default) or grpo")
    String algorithm;

    @Option(names = "--steps", description = "rollout batches, each followed by its optimisation epochs (default 100)")
    Integer steps;

    @Option(names = "--prompts", description = "prompts per rollout batch (default 16)")
    Integer prompts;

    @Option(names = "--samples", description = "sampled answers per prompt (default: PPO 1, GRPO 4, its group size)")
    Integer samples;

    @Option(names = "--lr", description = "learning rate (default 1e-5)")
    Double lr;

    @Option(names = "--kl-coef", description = "weight of the per-token KL penalty against the reference (default 0.3)")
    Double klCoef;

    @Option(names = "--temperature", description = "sampling temperature of the sampled answers (default 1)")
    Double temperature;

    @Option(names = "--eval-every", description = "steps between validations (default a tenth of the steps)")
    Integer evalEvery;

    @Option(names = "--valid-prompts",
            description = "validation prompts, greedy answers: more make the choice of the best step less noisy (default 100)")
    Integer validPrompts;

    @Option(names = "--seed", description = "prompt draws, sampling and mini-batch order (default 42)")
    Long seed;

    @Option(names = "--threads", description = "intra-op threads for training (default: the engine's)")
    Integer threads;

    @Option(names = "--penalise-shortfall",
            description = "each position a list leaves empty below N also costs the -1 penalty (not in method section 5)")
    boolean penaliseShortfall;

    @Option(names = "--decoupled",
            description = "grpo: normalise the reward's parts (rank scores and penalties, control scores, list score)"
                    + " within each group apart")
    boolean decoupled;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "RL tasks to draw prompts from, comma-separated (default all of method section 5)")
    List<String> tasks;

    @Option(names = "--json", description = "print {\"model_id\", \"steps\", \"mean_reward\", \"kl\", \"seconds\", \"valid\"} last")
    boolean json;

    /** The job's parameters: what the options name, defaults for the rest. */
    RlParams params() {
        return new RlParams(fromModel, algorithm, steps, prompts, null, samples, null, null, lr, klCoef, null,
                null, null, null, null, null, null, temperature, null, null, null, penaliseShortfall,
                decoupled, tasks, evalEvery, validPrompts, null, null, null, seed, threads);
    }

    @Override
    public int run(ApplicationContext context) {
        RlParams params = params();
        JsonNode result = context.getBean(ForegroundJobs.class)
                .run(JobRequest.of(RlJobHandler.TYPE, dataset, params), ProgressBar.on(spec.commandLine().getErr()));
        PrintWriter out = spec.commandLine().getOut();
        JsonNode valid = result.get("valid");
        out.printf(Locale.ROOT, "registered model %d (RL %s from model %d, dataset %s): %d steps, mean reward %.3f,"
                        + " KL %.3f, valid reward %.3f (start %.3f, best at step %d), %.0f s%n",
                result.get("model_id").asLong(), result.get("algorithm").asString(), fromModel, dataset,
                result.get("steps").asInt(), result.get("mean_reward").asDouble(), result.get("kl").asDouble(),
                valid.get(RlEvaluation.PREFIX + "reward").asDouble(),
                result.get("valid_start").get(RlEvaluation.PREFIX + "reward").asDouble(),
                result.get("best_step").asInt(), result.get("seconds").asDouble());
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            for (String field : new String[] {"model_id", "steps", "mean_reward", "kl", "seconds", "valid"}) {
                summary.put(field, result.get(field));
            }
            CommandOutput.printJson(out, summary);
        }
        out.flush();
        return 0;
    }
}
