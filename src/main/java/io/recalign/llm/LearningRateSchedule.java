package io.recalign.llm;

/** The learning rate of each optimizer step (steps count from 1). */
@FunctionalInterface
public interface LearningRateSchedule {

    double learningRate(long step);

    static LearningRateSchedule constant(double rate) {
        return step -> rate;
    }

    /** Linear warm-up to {@code peak} over {@code warmupSteps}, then cosine decay to {@code floor} at {@code totalSteps}. */
    static LearningRateSchedule warmupCosine(double peak, long warmupSteps, long totalSteps, double floor) {
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("need 0 <= warm-up steps < total steps, got " + warmupSteps + " and " + totalSteps);
        }
        return step -> {
            if (step <= warmupSteps) {
                return peak * step / Math.max(1, warmupSteps);
            }
            double progress = Math.min(1, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
            return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }
}
