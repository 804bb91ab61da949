package io.recalign.teacher;

/** Receives a report after every training epoch (from the training thread). */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress NONE = report -> { };

    void epoch(EpochReport report);

    /**
     * One finished epoch.
     *
     * @param epoch        1-based epoch number
     * @param epochs       maximum number of epochs
     * @param loss         mean training cross-entropy over the epoch's steps
     * @param validation   validation metrics after the epoch
     * @param bestEpoch    epoch with the best validation NDCG@10 so far
     * @param windows      training windows (sequences) seen in the epoch
     * @param trainSeconds seconds of forward, backward and update steps in the epoch
     * @param evalSeconds  seconds of the epoch's validation
     */
    record EpochReport(int epoch, int epochs, double loss, RankingMetrics validation, int bestEpoch,
                       int windows, double trainSeconds, double evalSeconds) {
    }
}
