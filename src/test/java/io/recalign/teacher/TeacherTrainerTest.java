package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TeacherTrainerTest {

    /** Every history gets the same scores: how often each item occurs in the training sequences. */
    private static TeacherEvaluator.Scorer mostPopular(CatalogSnapshot snapshot) {
        int items = snapshot.items().size();
        float[] counts = new float[items];
        for (CatalogSnapshot.UserSequence user : snapshot.users()) {
            for (int item : user.training()) {
                counts[item]++;
            }
        }
        return histories -> {
            float[] scores = new float[histories.size() * items];
            for (int b = 0; b < histories.size(); b++) {
                System.arraycopy(counts, 0, scores, b * items, items);
            }
            return scores;
        };
    }

    @Test
    void trainedTeacherClearlyBeatsMostPopular() {
        CatalogSnapshot snapshot = SyntheticTeacher.snapshot();
        TrainingReport report = SyntheticTeacher.trained().report();
        RankingMetrics popular = new TeacherEvaluator(snapshot, 1).test(mostPopular(snapshot));

        assertThat(report.test().ndcg10()).isGreaterThan(2 * popular.ndcg10()).isGreaterThan(popular.ndcg10() + 0.15);
        assertThat(report.test().hr10()).isGreaterThan(popular.hr10() + 0.15);
        assertThat(report.validation().ndcg10())
                .isEqualTo(report.history().get(report.bestEpoch() - 1).validation().ndcg10());
    }

    @Test
    void stopsEarlyAfterPatienceEpochsWithoutImprovement() {
        TrainingReport report = SyntheticTeacher.trained().report();
        List<TrainingProgress.EpochReport> history = report.history();
        assertThat(history).hasSize(report.epochsRun());
        double best = history.stream().mapToDouble(epoch -> epoch.validation().ndcg10()).max().orElseThrow();
        assertThat(history.get(report.bestEpoch() - 1).validation().ndcg10()).isEqualTo(best);
        if (report.epochsRun() < SyntheticTeacher.OPTIONS.epochs()) {
            assertThat(report.epochsRun() - report.bestEpoch()).isEqualTo(SyntheticTeacher.OPTIONS.patience());
        }
        assertThat(history.get(0).loss()).isGreaterThan(history.get(history.size() - 1).loss());
    }

    @Test
    void sameSeedGivesSameMetrics() {
        CatalogSnapshot snapshot = SyntheticCatalog.generate(60, 4, 80, 12, 3);
        TrainingOptions options = new TrainingOptions(3, 3, 32, 1e-3, 5, TrainingExamples.RANDOM_WINDOW);
        List<TrainingProgress.EpochReport> reported = new ArrayList<>();
        TrainingReport first;
        TrainingReport second;
        TrainingReport otherSeed;
        try (TrainedTeacher a = new TeacherTrainer().train(snapshot, SyntheticTeacher.CONFIG, options, reported::add, () -> false);
             TrainedTeacher b = new TeacherTrainer().train(snapshot, SyntheticTeacher.CONFIG, options, report -> { }, () -> false);
             TrainedTeacher c = new TeacherTrainer().train(snapshot, SyntheticTeacher.CONFIG, options.withSeed(6), report -> { }, () -> false)) {
            first = a.report();
            second = b.report();
            otherSeed = c.report();
        }
        assertThat(reported).extracting(TrainingProgress.EpochReport::epoch).containsExactly(1, 2, 3);
        // equal up to float summation order: the engine's thread count is process-wide, and a job of
        // another test context in this JVM may change it between the two runs
        assertSameMetrics(second.validation(), first.validation());
        assertSameMetrics(second.test(), first.test());
        for (int epoch = 0; epoch < first.history().size(); epoch++) {
            assertThat(second.history().get(epoch).loss()).isCloseTo(first.history().get(epoch).loss(), within(1e-4));
        }
        assertThat(otherSeed.history().get(0).loss()).isNotEqualTo(first.history().get(0).loss());
    }

    @Test
    void cancellationStopsTraining() {
        CatalogSnapshot snapshot = SyntheticCatalog.generate(40, 4, 30, 10, 3);
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> new TeacherTrainer().train(snapshot, SyntheticTeacher.CONFIG,
                new TrainingOptions(50, 50, 8, 1e-3, 1, TrainingExamples.ALL_WINDOWS),
                TrainingProgress.NONE, () -> checks.incrementAndGet() > 5))
                .isInstanceOf(CancellationException.class)
                .hasMessageContaining("cancelled");
        assertThat(checks).hasValue(6);
    }

    @Test
    void rejectsAnEmptySnapshot() {
        CatalogSnapshot empty = new CatalogSnapshot("empty", List.of(), List.of(), List.of());
        assertThatThrownBy(() -> new TeacherTrainer().train(empty, SyntheticTeacher.CONFIG, TrainingOptions.DEFAULTS,
                TrainingProgress.NONE, () -> false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no items");
    }

    private static void assertSameMetrics(RankingMetrics actual, RankingMetrics expected) {
        assertThat(actual.users()).isEqualTo(expected.users());
        assertThat(actual.hr10()).isCloseTo(expected.hr10(), within(0.02));
        assertThat(actual.ndcg10()).isCloseTo(expected.ndcg10(), within(0.005));
        assertThat(actual.hr20()).isCloseTo(expected.hr20(), within(0.02));
        assertThat(actual.ndcg20()).isCloseTo(expected.ndcg20(), within(0.005));
    }
}
