package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobTest {

    @Test
    void aNewJobIsQueuedWithEmptyProgress() {
        Job job = new Job("teacher", "ml", "{}");

        assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.getProgress()).isEqualTo("{}");
        assertThat(job.getCreatedAt()).isNotNull();
        assertThat(job.getStartedAt()).isNull();
    }

    @Test
    void runsToSuccess() {
        Job job = new Job("teacher", "ml", "{}");
        job.start();
        job.reportProgress("{\"step\":1}");
        job.succeed();

        assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.getStatus().isFinal()).isTrue();
        assertThat(job.getProgress()).isEqualTo("{\"step\":1}");
        assertThat(job.getFinishedAt()).isNotNull();
    }

    @Test
    void rejectsTransitionsOutOfOrder() {
        Job queued = new Job("teacher", "ml", "{}");
        assertThatThrownBy(queued::succeed).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> queued.reportProgress("{}")).isInstanceOf(IllegalStateException.class);

        queued.cancel();
        assertThat(queued.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(queued::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> queued.fail("late")).isInstanceOf(IllegalStateException.class);
    }
}
