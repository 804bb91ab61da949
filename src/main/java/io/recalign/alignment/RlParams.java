package io.recalign.alignment;

import io.recalign.tasks.RlPromptSampler;
import io.recalign.tasks.TaskFamily;
import java.util.List;
import java.util.Locale;

/**
 * Parameters of an RL run (job type {@code rl}); null means the default, which {@link #withDefaults}
 * fills in so that a stored job says exactly what runs.
 *
 * @param fromModel       the registered model to align (an SFT model): the starting policy and the frozen
 *                        reference
 * @param algorithm       {@code ppo} (method §5, default) or {@code grpo}
 * @param steps           rollout batches, each followed by its optimisation epochs (default 100)
 * @param prompts         prompts per rollout batch (default 16)
 * @param greedy          whether each prompt also gets a greedy answer (default: PPO yes, GRPO no)
 * @param samples         sampled answers per prompt (default: PPO 1, GRPO 4; GRPO needs at least 2)
 * @param epochs          optimisation passes over each rollout batch (default 4)
 * @param miniBatch       answers per optimizer step (default 16)
 * @param lr              learning rate (default 1e-5)
 * @param klCoef          weight of the per-token KL penalty against the reference (SFT) model (default 0.3)
 * @param clip            policy ratio clip ε (default 0.2)
 * @param valueClip       value clip around the rollout's values (default 0.2)
 * @param valueCoef       weight of the value loss (default 0.1)
 * @param entropyCoef     weight of the entropy bonus (default 0.01)
 * @param gamma           GAE discount γ (default 1)
 * @param lambda          GAE λ (default 0.95)
 * @param targetKl        stop a batch's epochs early once the approximate KL to the rollout policy exceeds
 *                        this (default 0.05; 0 never stops)
 * @param temperature     sampling temperature of the sampled answers (default 1)
 * @param topK            sample among the k most likely tokens only, 0 for all (default 0)
 * @param maxNewTokens    longest answer in tokens (default: enough for a dozen lines of the longest titles)
 * @param fineGrained     item rewards on each title line's last token (PPO only; default true)
 * @param penaliseShortfall each of the N positions an answer leaves empty also earns the −1 penalty (default
 *                        false, as method §5, which penalises titles beyond N but not missing ones: a policy
 *                        whose lists repeat titles then gains most by stopping early)
 * @param decoupled       GRPO only: normalise the reward's three parts (rank scores with penalties, ±C
 *                        control scores, list score) within each group apart and sum them at their weights,
 *                        instead of normalising the answer reward (default false; {@link Advantages#decoupled})
 * @param tasks           RL task codes to train on (default all of method §5)
 * @param evalEvery       steps between validations (default a tenth of the steps, at least 5); the last
 *                        step is always validated, and step 0 gives the starting point
 * @param validPrompts    validation prompts, greedy answers (default 100)
 * @param checkpointEvery steps between resume checkpoints (default evalEvery)
 * @param weightDecay     AdamW decoupled weight decay on matrices (default 0)
 * @param maxGradNorm     global gradient-norm clip, 0 for none (default 1)
 * @param seed            prompt draws, sampling and mini-batch order (default 42)
 * @param threads         intra-op threads for training (default: the engine's)
 */
public record RlParams(Long fromModel, String algorithm, Integer steps, Integer prompts, Boolean greedy, Integer samples,
        Integer epochs, Integer miniBatch, Double lr, Double klCoef, Double clip, Double valueClip, Double valueCoef,
        Double entropyCoef, Double gamma, Double lambda, Double targetKl, Double temperature, Integer topK,
        Integer maxNewTokens, Boolean fineGrained, Boolean penaliseShortfall, Boolean decoupled, List<String> tasks,
        Integer evalEvery, Integer validPrompts,
        Integer checkpointEvery, Double weightDecay, Double maxGradNorm, Long seed, Integer threads) {

    public static final String PPO = "ppo";
    public static final String GRPO = "grpo";
    public static final long DEFAULT_SEED = 42;

    public RlParams {
        if (algorithm != null) {
            algorithm = algorithm.strip().toLowerCase(Locale.ROOT);
            if (!algorithm.equals(PPO) && !algorithm.equals(GRPO)) {
                throw new IllegalArgumentException("algorithm must be 'ppo' or 'grpo', got '" + algorithm + "'");
            }
        }
        positive("steps", steps);
        positive("prompts", prompts);
        positive("epochs", epochs);
        positive("miniBatch", miniBatch);
        positive("maxNewTokens", maxNewTokens);
        positive("evalEvery", evalEvery);
        positive("validPrompts", validPrompts);
        positive("checkpointEvery", checkpointEvery);
        positive("threads", threads);
        if (samples != null && samples < 0) {
            throw new IllegalArgumentException("samples must not be negative, got " + samples);
        }
        if (GRPO.equals(algorithm) && samples != null && samples < 2) {
            throw new IllegalArgumentException("grpo compares answers within a group: samples must be at least 2, got " + samples);
        }
        if (Boolean.FALSE.equals(greedy) && samples != null && samples == 0) {
            throw new IllegalArgumentException("with greedy false, samples must be at least 1");
        }
        if (Boolean.TRUE.equals(decoupled) && !GRPO.equals(algorithm)) {
            throw new IllegalArgumentException("decoupled normalises the reward's parts within GRPO's groups:"
                    + " it needs algorithm 'grpo'");
        }
        if (GRPO.equals(algorithm) && Boolean.TRUE.equals(greedy)) {
            throw new IllegalArgumentException("grpo samples every answer of a group: greedy must be false");
        }
        range("lr", lr, 0, 1, false);
        range("klCoef", klCoef, 0, 100, true);
        range("clip", clip, 0, 1, false);
        range("valueClip", valueClip, 0, 1e6, false);
        range("valueCoef", valueCoef, 0, 100, true);
        range("entropyCoef", entropyCoef, 0, 100, true);
        range("gamma", gamma, 0, 1, true);
        range("lambda", lambda, 0, 1, true);
        range("targetKl", targetKl, 0, 100, true);
        range("temperature", temperature, 0, 100, false);
        range("weightDecay", weightDecay, 0, 0.999, true);
        range("maxGradNorm", maxGradNorm, 0, 1e6, true);
        if (topK != null && topK < 0) {
            throw new IllegalArgumentException("topK must be 0 (all tokens) or positive, got " + topK);
        }
        if (tasks != null) {
            tasks = List.copyOf(tasks);
            if (tasks.isEmpty()) {
                throw new IllegalArgumentException("tasks must name at least one task");
            }
            for (String code : tasks) {
                TaskFamily task = TaskFamily.fromCode(code);
                if (!RlPromptSampler.TASKS.contains(task)) {
                    throw new IllegalArgumentException("task '" + code + "' is not an RL task; RL tasks: "
                            + RlPromptSampler.TASKS.stream().map(TaskFamily::code).toList());
                }
            }
        }
    }

    /** The parameters with every default filled in. */
    public RlParams withDefaults() {
        boolean grpo = GRPO.equals(algorithm);
        int runSteps = or(steps, 100);
        int evaluate = evalEvery != null ? evalEvery : Math.max(5, runSteps / 10);
        return new RlParams(fromModel, grpo ? GRPO : PPO, runSteps, or(prompts, 16), greedy != null ? greedy : !grpo,
                or(samples, grpo ? 4 : 1), or(epochs, 4), or(miniBatch, 16), or(lr, 1e-5), or(klCoef, 0.3),
                or(clip, 0.2), or(valueClip, 0.2), or(valueCoef, 0.1), or(entropyCoef, 0.01), or(gamma, 1.0),
                or(lambda, 0.95), or(targetKl, 0.05), or(temperature, 1.0), or(topK, 0), maxNewTokens,
                fineGrained != null ? fineGrained : true, penaliseShortfall != null && penaliseShortfall,
                decoupled != null && decoupled,
                tasks != null ? tasks : RlPromptSampler.TASKS.stream().map(TaskFamily::code).toList(),
                evaluate, or(validPrompts, 100), or(checkpointEvery, evaluate), or(weightDecay, 0.0),
                or(maxGradNorm, 1.0), seed != null ? seed : DEFAULT_SEED, threads);
    }

    boolean grpo() {
        return GRPO.equals(algorithm);
    }

    /** Answers per prompt: the greedy one (if any) and the samples. */
    int answersPerPrompt() {
        return (Boolean.TRUE.equals(greedy) ? 1 : 0) + samples;
    }

    List<TaskFamily> taskFamilies() {
        return tasks.stream().map(TaskFamily::fromCode).toList();
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static double or(Double value, double fallback) {
        return value != null ? value : fallback;
    }

    private static void positive(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void range(String name, Double value, double low, double high, boolean lowIncluded) {
        if (value != null && !((lowIncluded ? value >= low : value > low) && value <= high)) {
            throw new IllegalArgumentException(name + " must lie in " + (lowIncluded ? "[" : "(") + low + ", "
                    + high + "], got " + value);
        }
    }
}
