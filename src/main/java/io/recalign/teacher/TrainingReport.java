package io.recalign.teacher;

import java.util.List;

/**
 * Outcome of one teacher training, with the weights of {@code bestEpoch} restored.
 *
 * @param bestEpoch         epoch with the best validation NDCG@10 (1-based)
 * @param epochsRun         epochs trained before early stopping or the epoch limit
 * @param trainSeconds      wall-clock seconds of the whole run, evaluation included
 * @param secondsPerEpoch   mean seconds of training steps per epoch (evaluation excluded)
 * @param sequencesPerSecond training windows per second of training steps
 * @param evaluationSeconds  seconds of the final validation and test evaluation (full ranking and sampled)
 * @param validation        validation metrics of the best epoch
 * @param test              test metrics of the best epoch
 * @param history           every epoch's report
 */
public record TrainingReport(int bestEpoch, int epochsRun, double trainSeconds, double secondsPerEpoch,
                             double sequencesPerSecond, double evaluationSeconds, RankingMetrics validation, RankingMetrics test,
                             List<TrainingProgress.EpochReport> history) {

    public TrainingReport {
        history = List.copyOf(history);
    }
}
