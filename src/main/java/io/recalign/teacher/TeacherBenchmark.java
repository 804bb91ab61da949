package io.recalign.teacher;

import ai.djl.pytorch.jni.JniUtils;
import io.recalign.catalog.CatalogSnapshot;
import java.util.List;

/**
 * Times teacher training and evaluation on a snapshot: a few epochs without early stopping, the first one
 * treated as warm-up when there are several, then one full validation and test evaluation.
 */
public final class TeacherBenchmark {

    /**
     * @param secondsPerEpoch    mean seconds of training steps per measured epoch
     * @param sequencesPerSecond training windows per second over the measured epochs
     * @param windowsPerEpoch    training windows in one epoch
     * @param evaluationSeconds  seconds of one validation plus test evaluation (full ranking and sampled)
     * @param threads            intra-op threads of the native engine
     */
    public record Result(String dataset, int users, int items, SasRecConfig config, int batchSize,
                         TrainingExamples examples, int epochsMeasured, int windowsPerEpoch,
                         double secondsPerEpoch, double sequencesPerSecond, double evaluationSeconds, int threads) {
    }

    public Result run(CatalogSnapshot snapshot, SasRecConfig config, TrainingOptions options, int epochs) {
        SasRecConfig.requirePositive("epochs", epochs);
        TrainingOptions timed = options.withEpochs(epochs).withPatience(epochs);
        try (TrainedTeacher trained = new TeacherTrainer().train(snapshot, config, timed, TrainingProgress.NONE, () -> false)) {
            TrainingReport report = trained.report();
            List<TrainingProgress.EpochReport> measured = report.history().size() > 1
                    ? report.history().subList(1, report.history().size())
                    : report.history();
            double seconds = measured.stream().mapToDouble(TrainingProgress.EpochReport::trainSeconds).sum();
            long windows = measured.stream().mapToLong(TrainingProgress.EpochReport::windows).sum();
            return new Result(snapshot.dataset(), snapshot.users().size(), snapshot.items().size(), config,
                    options.batchSize(), options.examples(), measured.size(), measured.get(0).windows(),
                    seconds / measured.size(), windows / seconds, report.evaluationSeconds(), JniUtils.getNumThreads());
        }
    }
}
