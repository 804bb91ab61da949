package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.system.JobProgress;
import org.junit.jupiter.api.Test;

class SkippedUpdatesTest {

    @Test
    void theProgressShowsTheRunsTotalFromTheFirstSkippedUpdateOn() {
        SkippedUpdates skipped = new SkippedUpdates("RL");

        assertThat(skipped.add(1, 0, 8, JobProgress.steps(1, 10)).metrics()).doesNotContainKey("skipped_updates");
        assertThat(skipped.add(2, 2, 8, JobProgress.steps(2, 10)).metrics()).containsEntry("skipped_updates", 2.0);
        assertThat(skipped.add(3, 0, 8, JobProgress.steps(3, 10)).metrics()).containsEntry("skipped_updates", 2.0);
        assertThat(skipped.add(4, 1, 8, JobProgress.steps(4, 10)).metrics()).containsEntry("skipped_updates", 3.0);
    }
}
