package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TeacherBenchmarkTest {

    @Test
    void measuresEveryEpochButTheWarmUp() {
        CatalogSnapshot snapshot = SyntheticCatalog.generate(50, 4, 40, 14, 9);
        TrainingOptions options = new TrainingOptions(200, 1, 16, 1e-3, 2, TrainingExamples.ALL_WINDOWS);
        TeacherBenchmark.Result result = new TeacherBenchmark().run(snapshot, SyntheticTeacher.CONFIG, options, 3);

        int windows = TrainingExamples.ALL_WINDOWS.epoch(snapshot.users().stream()
                .map(CatalogSnapshot.UserSequence::training).toList(), SyntheticTeacher.CONFIG.maxLength(), new Random(0)).size();
        assertThat(result.epochsMeasured()).isEqualTo(2);   // patience 1 is lifted: every requested epoch runs
        assertThat(result.windowsPerEpoch()).isEqualTo(windows);
        assertThat(result.secondsPerEpoch()).isPositive();
        assertThat(result.sequencesPerSecond()).isCloseTo(windows / result.secondsPerEpoch(),
                org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(result.evaluationSeconds()).isPositive();
        assertThat(result.users()).isEqualTo(40);
        assertThat(result.items()).isEqualTo(50);
    }
}
