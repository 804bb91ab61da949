package io.recalign.alignment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.recalign.llm.AdamW;
import io.recalign.llm.LearningRateSchedule;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.Unlikelihood;
import io.recalign.system.JobContext;
import io.recalign.system.JobProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SFT loop (method §4): causal LM loss on the answer tokens only (plus, when asked, unlikelihood
 * on titles an answer must not repeat, in the labelled answers and in the model's own), AdamW with
 * warm-up and cosine decay, gradient clipping (inside {@link AdamW}), gradient accumulation over micro-batches, batches of
 * similar length. Validates every {@code evalEvery} steps and at the end, keeps the best validation's
 * weights as the best checkpoint, and saves a resume point (weights, optimizer, counters) every
 * {@code checkpointEvery} steps and when the service stops. Runs on the training thread.
 */
final class SftTrainer {

    private static final int LOSS_WINDOW = 50;

    private final LlamaModel model;
    private final NDManager root;
    private final List<EncodedExample> train;
    private final SftValidation validation;
    private final SftParams params;
    private final SftParams.SftSchedule schedule;
    private final SftCheckpoints checkpoints;
    private final LengthBuckets buckets;
    private final WrittenAnswers writtenAnswers;

    /** What a finished run reports: its final state and the best validation (the model to register). */
    record Outcome(SftCheckpoints.TrainerState state, SftEvaluation best, SftEvaluation last) {
        double trainLoss() {
            return state.recentLosses().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /** {@code writtenAnswers} is null unless the run adds sequence-level unlikelihood. */
    SftTrainer(LlamaModel model, NDManager root, List<EncodedExample> train, SftValidation validation,
            SftParams params, SftParams.SftSchedule schedule, SftCheckpoints checkpoints, WrittenAnswers writtenAnswers) {
        this.model = model;
        this.root = root;
        this.train = train;
        this.validation = validation;
        this.params = params;
        this.schedule = schedule;
        this.checkpoints = checkpoints;
        this.writtenAnswers = writtenAnswers;
        this.buckets = new LengthBuckets(train.stream().mapToInt(EncodedExample::length).toArray(),
                params.batchSize(), params.seed());
    }

    /**
     * Trains from {@code state} (the start, or a resume point whose weights the model already holds and
     * whose optimizer state is at {@code resumeFrom}) to the last step.
     */
    Outcome train(JobContext context, SftCheckpoints.TrainerState state, Path resumeFrom) {
        LearningRateSchedule rates = LearningRateSchedule.warmupCosine(params.lr(), schedule.warmupSteps(),
                schedule.steps(), params.minLr());
        AdamW.Settings settings = new AdamW.Settings(0.9, 0.95, 1e-8, params.weightDecay(), params.maxGradNorm());
        try (AdamW optimizer = new AdamW(model, settings, rates)) {
            if (resumeFrom != null) {
                optimizer.restore(resumeFrom);
                if (optimizer.steps() != state.step()) {
                    throw new IllegalStateException("the checkpoint's optimizer is at step " + optimizer.steps()
                            + " but its trainer state at step " + state.step());
                }
            }
            model.requireGradients();
            return loop(context, optimizer, state);
        }
    }

    private Outcome loop(JobContext context, AdamW optimizer, SftCheckpoints.TrainerState start) {
        int step = start.step();
        long batches = start.batches();
        long tokens = start.tokens();
        double seconds = start.seconds();
        List<Double> recent = new ArrayList<>(start.recentLosses());
        SftEvaluation best = start.best();
        SftEvaluation last = null;
        JobProgress progress = JobProgress.steps(step, schedule.steps()).withPhase("training");
        SkippedUpdates skipped = new SkippedUpdates("SFT");
        while (step < schedule.steps()) {
            if (context.isCancelled()) {
                if (context.isShuttingDown()) {
                    checkpoints.saveLast(model, optimizer, new SftCheckpoints.TrainerState(step, batches, params.seed(),
                            recent, best, tokens, seconds));
                }
                context.checkCancelled();
            }
            long started = System.nanoTime();
            StepResult result = step(optimizer, batches, writtenAnswers != null && (step + 1) % params.sequenceEvery() == 0);
            double elapsed = (System.nanoTime() - started) / 1e9;
            step++;
            batches += params.accumulation();
            tokens += result.tokens();
            seconds += elapsed;
            recent.add(result.loss());
            if (recent.size() > LOSS_WINDOW) {
                recent.remove(0);
            }
            progress = JobProgress.steps(step, schedule.steps()).withPhase("training").withLoss(result.loss())
                    .withLearningRate(result.learningRate()).withTokensPerSecond(result.tokens() / elapsed);
            progress = skipped.add(step, result.skipped() ? 1 : 0, 1, progress);
            if (result.sequenceUnlikelihood() != null) {
                progress = progress.withMetric("sequence_unlikelihood", result.sequenceUnlikelihood());
            }
            boolean finalStep = step == schedule.steps();
            if (step % schedule.evalEvery() == 0 || finalStep) {
                context.progress(progress.withPhase("validating"));
                long validationStarted = System.nanoTime();
                last = validation.evaluate(step, finalStep);
                seconds += (System.nanoTime() - validationStarted) / 1e9;
                if (last.betterThan(best)) {
                    best = last;
                    checkpoints.saveBest(model, best);
                }
                for (var metric : last.metrics().entrySet()) {
                    progress = progress.withMetric(metric.getKey(), metric.getValue());
                }
                context.log(progress);
            } else if (step % params.logEvery() == 0) {
                context.log(progress);
            } else {
                context.progress(progress);
            }
            if (step % schedule.checkpointEvery() == 0 && !finalStep) {
                checkpoints.saveLast(model, optimizer, new SftCheckpoints.TrainerState(step, batches, params.seed(),
                        recent, best, tokens, seconds));
            }
        }
        SftCheckpoints.TrainerState end = new SftCheckpoints.TrainerState(step, batches, params.seed(), recent, best,
                tokens, seconds);
        if (best == null) {
            // resumed after the final validation but before registering: the best is on disk
            best = checkpoints.bestEvaluation().orElseThrow(() -> new IllegalStateException("no validated checkpoint"));
        }
        return new Outcome(end, best, last != null ? last : best);
    }

    /**
     * A step's loss (labelled answers), learning rate, tokens, its sequence-level term when it had one, and
     * whether the optimizer skipped it for a non-finite gradient.
     */
    private record StepResult(double loss, double learningRate, long tokens, Double sequenceUnlikelihood,
                              boolean skipped) {
    }

    /**
     * One optimizer step over {@code accumulation} micro-batches, each answer token weighing the same;
     * with {@code ownAnswers}, each micro-batch adds the unlikelihood of the model's greedy answers to its prompts.
     */
    private StepResult step(AdamW optimizer, long firstBatch, boolean ownAnswers) {
        List<List<EncodedExample>> microBatches = new ArrayList<>(params.accumulation());
        for (int i = 0; i < params.accumulation(); i++) {
            microBatches.add(Arrays.stream(buckets.batch(firstBatch + i)).mapToObj(train::get).toList());
        }
        long answerTokens = microBatches.stream().flatMap(List::stream).mapToLong(EncodedExample::answerLength).sum();
        long tokens = microBatches.stream().flatMap(List::stream).mapToLong(EncodedExample::length).sum();
        double lossSum = 0;
        double sequenceSum = 0;
        int sequenceBatches = 0;
        for (List<EncodedExample> batch : microBatches) {
            long batchAnswerTokens = batch.stream().mapToLong(EncodedExample::answerLength).sum();
            try (NDManager scope = root.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                Unlikelihood unlikely = new Unlikelihood(SftBatch.unlikely(batch), params.unlikelihood().floatValue(),
                        SftBatch.ruledOut(batch), params.controlUnlikelihood().floatValue());
                NDArray loss = model.loss(scope, SftBatch.tokens(batch), SftBatch.masks(batch), unlikely); // mean per answer token
                collector.backward(loss.mul((float) batchAnswerTokens / answerTokens));
                lossSum += (double) loss.getFloat() * batchAnswerTokens;
            }
            if (ownAnswers) {
                List<EncodedExample> written = writtenAnswers.of(batch);
                if (!written.isEmpty()) {
                    sequenceSum += sequenceUnlikelihood(written);
                    sequenceBatches++;
                }
            }
        }
        AdamW.Step update = optimizer.step();
        return new StepResult(lossSum / answerTokens, update.learningRate(), tokens,
                sequenceBatches > 0 ? sequenceSum / sequenceBatches : null, update.skipped());
    }

    /** Backpropagates the weighted unlikelihood of the model's own answers; returns its unweighted value. */
    private double sequenceUnlikelihood(List<EncodedExample> written) {
        try (NDManager scope = root.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray penalty = model.unlikelihood(scope, SftBatch.tokens(written), SftBatch.unlikely(written));
            collector.backward(penalty.mul(params.sequenceUnlikelihood().floatValue() / params.accumulation()));
            return penalty.getFloat();
        }
    }
}
