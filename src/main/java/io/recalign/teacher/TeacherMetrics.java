package io.recalign.teacher;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a stored teacher's training measured, with the metrics of its best epoch.
 *
 * @param secondsPerEpoch    mean seconds of training steps per epoch (evaluation excluded)
 * @param sequencesPerSecond training windows per second of training steps
 * @param evaluationSeconds  seconds of the final validation and test evaluation
 */
public record TeacherMetrics(
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("epochs_run") int epochsRun,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("seconds_per_epoch") double secondsPerEpoch,
        @JsonProperty("sequences_per_second") double sequencesPerSecond,
        @JsonProperty("evaluation_seconds") double evaluationSeconds,
        RankingMetrics valid,
        RankingMetrics test) {

    static TeacherMetrics of(TrainingReport report) {
        return new TeacherMetrics(report.bestEpoch(), report.epochsRun(), report.trainSeconds(),
                report.secondsPerEpoch(), report.sequencesPerSecond(), report.evaluationSeconds(),
                report.validation(), report.test());
    }
}
