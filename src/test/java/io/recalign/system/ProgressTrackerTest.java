package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ProgressTrackerTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(100 * SECOND);

    private ProgressTracker fresh(int historyLimit) {
        return new ProgressTracker(JobParams.emptyObject(), false, historyLimit, clock::get);
    }

    @Test
    void etaComesFromTheRateSinceTheFirstReport() {
        ProgressTracker tracker = fresh(100);
        clock.addAndGet(5 * SECOND); // set-up time before the first step must not count in the rate
        tracker.update(1, JobProgress.steps(10, 110), false);
        clock.addAndGet(10 * SECOND);
        ProgressUpdate update = tracker.update(1, JobProgress.steps(30, 110), false);

        assertThat(update.unitsPerSecond()).isCloseTo(2.0, within(1e-9));
        assertThat(update.etaSeconds()).isCloseTo(40.0, within(1e-9));
        assertThat(update.elapsedSeconds()).isCloseTo(15.0, within(1e-9));
        JsonNode document = JobParams.parseObject(tracker.json());
        assertThat(document.get("step").asLong()).isEqualTo(30);
        assertThat(document.get("total").asLong()).isEqualTo(110);
        assertThat(document.get("fraction").asDouble()).isCloseTo(30 / 110.0, within(1e-9));
        assertThat(document.get("etaSeconds").asDouble()).isEqualTo(40.0);
        assertThat(document.has("history")).isFalse();
    }

    @Test
    void noEtaWithoutATotalOrBeforeTheRateIsKnown() {
        ProgressTracker tracker = fresh(100);
        assertThat(tracker.update(1, JobProgress.steps(0, 10), false).etaSeconds()).isNull();
        clock.addAndGet(SECOND);
        assertThat(tracker.update(1, JobProgress.steps(4, 0), false).etaSeconds()).isNull();
        clock.addAndGet(SECOND);
        assertThat(tracker.update(1, JobProgress.steps(10, 10), false).etaSeconds()).isZero();
    }

    @Test
    void aNewUnitOrTotalRestartsTheRate() {
        ProgressTracker tracker = fresh(100);
        tracker.update(1, JobProgress.epochs(1, 10), false);
        clock.addAndGet(10 * SECOND);
        tracker.update(1, JobProgress.epochs(2, 10), false);
        ProgressUpdate validating = tracker.update(1, JobProgress.steps(0, 50).withPhase("validating"), false);
        assertThat(validating.unitsPerSecond()).isNull();
        clock.addAndGet(SECOND);
        ProgressUpdate later = tracker.update(1, JobProgress.steps(25, 50).withPhase("validating"), false);
        assertThat(later.unitsPerSecond()).isCloseTo(25.0, within(1e-9));
        assertThat(later.etaSeconds()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void loggedPointsFormTheHistoryAndTheCurrentFieldsFollowTheLatestReport() {
        ProgressTracker tracker = fresh(100);
        tracker.update(1, JobProgress.steps(1, 3).withLoss(2.0).withLearningRate(1e-3).withMetric("recall@10", 0.1), true);
        tracker.update(1, JobProgress.steps(2, 3).withLoss(1.5), false);
        tracker.update(1, JobProgress.steps(3, 3).withLoss(Double.NaN).withTokensPerSecond(900), true);

        JsonNode document = JobParams.parseObject(tracker.json());
        assertThat(document.get("history")).hasSize(2);
        assertThat(document.get("history").get(0).get("loss").asDouble()).isEqualTo(2.0);
        assertThat(document.get("history").get(0).get("metrics").get("recall@10").asDouble()).isEqualTo(0.1);
        assertThat(document.get("history").get(1).get("step").asLong()).isEqualTo(3);
        // a diverged loss is stored as null, keeping the document valid JSON for PostgreSQL
        assertThat(document.get("loss").isNull()).isTrue();
        assertThat(document.get("tokensPerSecond").asDouble()).isEqualTo(900);
        // values the latest report left out are not carried over from earlier ones
        assertThat(document.has("learningRate")).isFalse();
        assertThat(document.has("metrics")).isFalse();
    }

    @Test
    void historyStaysBoundedAndKeepsTheWholeCurve() {
        ProgressTracker tracker = fresh(10);
        for (int step = 1; step <= 1000; step++) {
            tracker.update(1, JobProgress.steps(step, 1000).withLoss(1.0 / step), true);
        }
        JsonNode history = JobParams.parseObject(tracker.json()).get("history");
        assertThat(history.size()).isBetween(5, 10);
        assertThat(history.get(0).get("step").asLong()).isEqualTo(1);
        assertThat(history.get(history.size() - 1).get("step").asLong()).isEqualTo(1000);
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).get("step").asLong()).isGreaterThan(history.get(i - 1).get("step").asLong());
        }
    }

    @Test
    void aResumedJobKeepsItsHistoryAndElapsedTimeAndCountsTheResume() {
        ProgressTracker first = fresh(100);
        first.update(7, JobProgress.steps(1, 4).withLoss(1.0), true);
        clock.addAndGet(30 * SECOND);
        first.update(7, JobProgress.steps(2, 4).withLoss(0.5), true);
        first.result(JobParams.toTree(java.util.Map.of("partial", true)));
        ObjectNode saved = JobParams.parseObject(first.json());

        ProgressTracker resumed = new ProgressTracker(saved, true, 100, clock::get);
        clock.addAndGet(10 * SECOND);
        ProgressUpdate update = resumed.update(7, JobProgress.steps(3, 4).withLoss(0.25), true);

        assertThat(update.elapsedSeconds()).isCloseTo(40.0, within(1e-9));
        JsonNode document = JobParams.parseObject(resumed.json());
        assertThat(document.get("resumes").asInt()).isEqualTo(1);
        assertThat(document.get("history")).extracting(point -> point.get("step").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(resumed.result().get("partial").asBoolean()).isTrue();
    }
}
