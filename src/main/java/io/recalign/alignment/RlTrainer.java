package io.recalign.alignment;

import io.recalign.llm.AdamW;
import io.recalign.llm.LlamaModel;
import io.recalign.system.JobContext;
import io.recalign.system.JobProgress;
import io.recalign.tasks.RlPrompt;
import io.recalign.tasks.RlPromptSampler;
import io.recalign.tasks.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The RL loop (method §5): each step draws fresh training prompts, rolls out and optimises
 * ({@link RlStep}); the policy is validated before the first step, every {@code evalEvery} steps and at
 * the end, the best validation's weights are kept as the best checkpoint, and a resume point (policy,
 * value head, optimizer, counters) is saved every {@code checkpointEvery} steps and when the service
 * stops. Prompts and sampling are pure functions of the seed and the step, so a resumed run draws what
 * the uninterrupted one would have. Runs on the training thread.
 */
final class RlTrainer {

    /** Steps whose rollout reward and KL make the reported {@code mean_reward} and {@code kl}. */
    static final int RECENT = 10;

    /**
     * What the loop needs to continue besides weights and optimizer state.
     *
     * @param start         the validation before the first step
     * @param best          the best validation so far
     * @param recentRewards mean rollout rewards of the latest steps
     * @param recentKl      mean answer KL to the reference of the latest steps
     * @param seconds       time spent so far, over all runs
     */
    record State(int step, double seconds, long tokens, RlEvaluation start, RlEvaluation best,
                 List<Double> recentRewards, List<Double> recentKl) {
        State {
            recentRewards = recentRewards == null ? List.of() : List.copyOf(recentRewards);
            recentKl = recentKl == null ? List.of() : List.copyOf(recentKl);
        }

        static State begin() {
            return new State(0, 0, 0, null, null, List.of(), List.of());
        }

        double meanReward() {
            return recentRewards.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double meanKl() {
            return recentKl.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /** A finished run: its final state, the best validation (the model to register) and the last one. */
    record Outcome(State state, RlEvaluation best, RlEvaluation last) {
    }

    private final RlStep step;
    private final RlPromptSampler sampler;
    private final List<RlPrompt> validPrompts;
    private final RlParams params;
    private final LlamaModel policy;
    private final ValueHead valueHead;
    private final AdamW optimizer;
    private final SftCheckpoints checkpoints;

    RlTrainer(RlStep step, RlPromptSampler sampler, List<RlPrompt> validPrompts, RlParams params, LlamaModel policy,
              ValueHead valueHead, AdamW optimizer, SftCheckpoints checkpoints) {
        if (validPrompts.isEmpty()) {
            throw new IllegalArgumentException("RL validation needs at least one prompt");
        }
        this.step = step;
        this.sampler = sampler;
        this.validPrompts = validPrompts;
        this.params = params;
        this.policy = policy;
        this.valueHead = valueHead;
        this.optimizer = optimizer;
        this.checkpoints = checkpoints;
    }

    /** The training prompts of a step: a fresh draw of the run's tasks on training moments. */
    static List<RlPrompt> prompts(RlPromptSampler sampler, RlParams params, int step) {
        return sampler.sample(params.prompts(), seed(params, step, 1), Split.TRAIN, params.taskFamilies());
    }

    /** A seed for (run, step, purpose), so that every draw of a step is reproducible on its own. */
    static long seed(RlParams params, int step, int purpose) {
        return params.seed() * 0x9E3779B97F4A7C15L + step * 1_000_003L + purpose;
    }

    Outcome train(JobContext context, State from) {
        State state = from;
        RlEvaluation last = null;
        int total = params.steps();
        if (state.start() == null) {
            context.progress(JobProgress.steps(0, total).withPhase("validating"));
            long started = System.nanoTime();
            RlEvaluation start = validate(0);
            checkpoints.saveBest(policy, start);
            state = new State(0, state.seconds() + (System.nanoTime() - started) / 1e9, state.tokens(), start, start,
                    state.recentRewards(), state.recentKl());
            context.log(withMetrics(JobProgress.steps(0, total).withPhase("validated"), start.metrics()));
            last = start;
        }
        SkippedUpdates skipped = new SkippedUpdates("RL");
        while (state.step() < total) {
            if (context.isCancelled()) {
                if (context.isShuttingDown()) {
                    save(state);
                }
                context.checkCancelled();
            }
            int number = state.step() + 1;
            long started = System.nanoTime();
            RlStep.Report report = step.run(prompts(sampler, params, number - 1), seed(params, number - 1, 2));
            double elapsed = (System.nanoTime() - started) / 1e9;
            JobProgress progress = JobProgress.steps(number, total).withPhase("training")
                    .withLoss(report.policyLoss()).withLearningRate(params.lr())
                    .withTokensPerSecond(report.tokens() / Math.max(elapsed, 1e-9))
                    .withMetric("reward", report.meanReward());
            for (Map.Entry<String, Double> task : report.rewardByTask().entrySet()) {
                progress = progress.withMetric("reward_" + task.getKey(), task.getValue());
            }
            progress = progress.withMetric("kl", report.kl())
                    .withMetric("entropy", report.entropy())
                    .withMetric("clip_fraction", report.clipFraction())
                    .withMetric("approx_kl", report.approxKl())
                    .withMetric("value_loss", report.valueLoss())
                    .withMetric("updates", report.updates())
                    .withMetric("answer_tokens", report.answerTokens())
                    .withMetric("step_seconds", elapsed);
            progress = skipped.add(number, report.skippedUpdates(), report.updates(), progress);
            state = new State(number, state.seconds() + elapsed, state.tokens() + report.tokens(), state.start(),
                    state.best(), recent(state.recentRewards(), report.meanReward()), recent(state.recentKl(), report.kl()));
            boolean finalStep = number == total;
            if (number % params.evalEvery() == 0 || finalStep) {
                context.progress(progress.withPhase("validating"));
                long validationStarted = System.nanoTime();
                last = validate(number);
                RlEvaluation best = state.best();
                if (last.betterThan(best)) {
                    best = last;
                    checkpoints.saveBest(policy, best);
                }
                state = new State(number, state.seconds() + (System.nanoTime() - validationStarted) / 1e9,
                        state.tokens(), state.start(), best, state.recentRewards(), state.recentKl());
                progress = withMetrics(progress, last.metrics());
            }
            context.log(progress);
            if (number % params.checkpointEvery() == 0 && !finalStep) {
                save(state);
            }
        }
        RlEvaluation best = state.best() != null ? state.best()
                : checkpoints.bestEvaluation(RlEvaluation.class)
                        .orElseThrow(() -> new IllegalStateException("no validated checkpoint"));
        return new Outcome(state, best, last != null ? last : best);
    }

    private RlEvaluation validate(int number) {
        return RlEvaluation.of(number, validPrompts, step.greedyScores(validPrompts));
    }

    private void save(State state) {
        checkpoints.saveLast(policy, optimizer, state, directory -> {
            if (valueHead != null) {
                valueHead.save(directory);
            }
        });
    }

    private static List<Double> recent(List<Double> values, double next) {
        List<Double> window = new ArrayList<>(values);
        window.add(next);
        return window.size() > RECENT ? window.subList(window.size() - RECENT, window.size()) : window;
    }

    private static JobProgress withMetrics(JobProgress progress, Map<String, Double> metrics) {
        JobProgress result = progress;
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            result = result.withMetric(metric.getKey(), metric.getValue());
        }
        return result;
    }
}
