package io.recalign.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a running job stands, as its handler reports it. The service adds the elapsed time, the rate
 * and the ETA ({@link ProgressUpdate}) and keeps logged points as the job's history.
 *
 * @param phase           what the job is doing now, e.g. {@code training}, {@code validating}; may be null
 * @param unit            what {@code step} counts: {@code step}, {@code epoch}, {@code example}
 * @param step            units done so far
 * @param total           units planned, 0 when unknown
 * @param loss            the latest training loss, or null
 * @param learningRate    the current learning rate, or null
 * @param tokensPerSecond training throughput, or null
 * @param metrics         named figures such as {@code valid_ndcg@10}, in insertion order
 */
public record JobProgress(String phase, String unit, long step, long total, Double loss, Double learningRate,
        Double tokensPerSecond, Map<String, Double> metrics) {

    public JobProgress {
        if (unit == null || unit.isBlank()) {
            throw new IllegalArgumentException("progress needs a unit, e.g. 'step' or 'epoch'");
        }
        if (step < 0 || total < 0) {
            throw new IllegalArgumentException("step and total must not be negative: " + step + "/" + total);
        }
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** {@code step} of {@code total} optimiser steps. */
    public static JobProgress steps(long step, long total) {
        return new JobProgress(null, "step", step, total, null, null, null, null);
    }

    /** {@code epoch} of {@code total} epochs. */
    public static JobProgress epochs(long epoch, long total) {
        return new JobProgress(null, "epoch", epoch, total, null, null, null, null);
    }

    /** The share of the work done, or null when the total is unknown. */
    public Double fraction() {
        return total == 0 ? null : Math.min(1.0, (double) step / total);
    }

    public JobProgress withPhase(String newPhase) {
        return new JobProgress(newPhase, unit, step, total, loss, learningRate, tokensPerSecond, metrics);
    }

    public JobProgress withLoss(double newLoss) {
        return new JobProgress(phase, unit, step, total, newLoss, learningRate, tokensPerSecond, metrics);
    }

    public JobProgress withLearningRate(double newLearningRate) {
        return new JobProgress(phase, unit, step, total, loss, newLearningRate, tokensPerSecond, metrics);
    }

    public JobProgress withTokensPerSecond(double newTokensPerSecond) {
        return new JobProgress(phase, unit, step, total, loss, learningRate, newTokensPerSecond, metrics);
    }

    /** Adds or replaces one named figure. */
    public JobProgress withMetric(String name, double value) {
        Map<String, Double> more = new LinkedHashMap<>(metrics);
        more.put(name, value);
        return new JobProgress(phase, unit, step, total, loss, learningRate, tokensPerSecond, more);
    }
}
