package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recalign.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** What happens to a job when its process dies or the service shuts down while it runs. */
@IntegrationTest
class JobRecoveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Autowired
    JobRecovery recovery;

    @Autowired
    JobExecutor executor;

    @Autowired
    JobService jobs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    RecalignProperties recalign;

    @Test
    void aJobWhoseProcessDiedFailsAsInterruptedWhenItsHandlerCannotResume() throws IOException {
        long id = insertRunning(CountingJobHandler.TYPE, "{\"steps\": 3}", "{}", false);
        Path checkpoints = Files.createDirectories(JobRun.checkpointDirectory(recalign.home(), id));
        Files.writeString(checkpoints.resolve("state"), "partial");

        assertThat(recovery.recoverOrphans()).isGreaterThanOrEqualTo(1);

        Job job = jobs.get(id);
        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(job.getError()).isEqualTo("interrupted: the service stopped while the job was running");
        assertThat(job.getFinishedAt()).isNotNull();
        assertThat(checkpoints).doesNotExist();
    }

    @Test
    void aResumableJobIsQueuedAgainAndResumesFromItsCheckpoint() throws IOException {
        String progress = """
                {"unit": "step", "step": 4, "total": 7, "elapsedSeconds": 12.0,
                 "history": [{"unit": "step", "step": 1}, {"unit": "step", "step": 2},
                             {"unit": "step", "step": 3}, {"unit": "step", "step": 4}]}""";
        long id = insertRunning(ResumableJobHandler.TYPE, "{\"steps\": 7, \"sleepMillis\": 1}", progress, false);
        // the last checkpoint was taken at step 3; step 4 is lost with the process
        Path checkpoints = Files.createDirectories(JobRun.checkpointDirectory(recalign.home(), id));
        Files.writeString(checkpoints.resolve(ResumableJobHandler.CHECKPOINT), "3");

        recovery.recoverOrphans();
        executor.wake();
        Job job = awaitFinal(id);

        assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
        JsonNode document = JobParams.parseObject(job.getProgress());
        assertThat(document.get("result").get("resuming").asBoolean()).isTrue();
        assertThat(document.get("result").get("resumedFrom").asInt()).isEqualTo(3);
        assertThat(document.get("resumes").asInt()).isEqualTo(1);
        assertThat(document.get("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(12.0);
        assertThat(document.get("history")).extracting(point -> point.get("step").asInt())
                .containsExactly(1, 2, 3, 4, 4, 5, 6, 7);
        assertThat(checkpoints).doesNotExist();
    }

    @Test
    void aJobHeldByALiveProcessIsLeftAloneUntilThatProcessIsGone() {
        long id;
        try (JobLease lease = JobLease.startNow(dataSource, CountingJobHandler.TYPE, "recovery-live", "{}")) {
            id = lease.job().id();
            recovery.recoverOrphans();
            assertThat(jobs.get(id).getStatus()).isEqualTo(JobStatus.RUNNING);
        }
        // the lease's session ended without recording an outcome, as when its process is killed
        recovery.recoverOrphans();

        assertThat(jobs.get(id).getStatus()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void anOrphanWhoseCancelWasRequestedEndsCancelledEvenIfResumable() {
        long id = insertRunning(ResumableJobHandler.TYPE, "{}", "{}", true);

        recovery.recoverOrphans();

        assertThat(jobs.get(id).getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(jobs.get(id).getError()).isNull();
    }

    @Test
    void anOrphanOfATypeThisServiceDoesNotKnowFailsAsInterrupted() {
        long id = insertRunning("retired-type", "{}", "{}", false);

        recovery.recoverOrphans();

        assertThat(jobs.get(id).getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.get(id).getError()).startsWith("interrupted");
    }

    @Test
    void shutdownCheckpointsAResumableJobWhichResumesAtTheNextStart() throws IOException {
        Job submitted = jobs.submit(JobRequest.of(ResumableJobHandler.TYPE, "recovery-shutdown",
                Map.of("steps", 400, "sleepMillis", 5)));
        awaitStep(submitted.getId(), 4);
        Job stopped;
        try {
            executor.stop();
            stopped = jobs.get(submitted.getId());
            assertThat(stopped.getStatus()).isEqualTo(JobStatus.QUEUED);
            assertThat(stopped.getStartedAt()).isNotNull();
            assertThat(stopped.getFinishedAt()).isNull();
        } finally {
            executor.start();
        }
        int stepAtStop = JobParams.parseObject(stopped.getProgress()).get("step").asInt();
        Path checkpoint = JobRun.checkpointDirectory(recalign.home(), submitted.getId()).resolve(ResumableJobHandler.CHECKPOINT);
        assertThat(stepAtStop).isGreaterThanOrEqualTo(4);

        Job resumed = awaitFinal(submitted.getId());

        assertThat(resumed.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
        JsonNode document = JobParams.parseObject(resumed.getProgress());
        assertThat(document.get("result").get("resumedFrom").asInt()).isEqualTo(stepAtStop);
        assertThat(document.get("resumes").asInt()).isEqualTo(1);
        assertThat(document.get("step").asInt()).isEqualTo(400);
        assertThat(checkpoint).doesNotExist();
    }

    @Test
    void shutdownFailsAJobThatCannotResumeAsInterrupted() {
        Job submitted = jobs.submit(JobRequest.of(CountingJobHandler.TYPE, "recovery-shutdown",
                Map.of("steps", 2000, "sleepMillis", 5)));
        awaitStep(submitted.getId(), 2);
        try {
            executor.stop();
        } finally {
            executor.start();
        }

        Job job = jobs.get(submitted.getId());
        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(job.getError()).isEqualTo(JobRecovery.INTERRUPTED);
    }

    private long insertRunning(String type, String params, String progress, boolean cancelRequested) {
        return jdbc.sql("""
                insert into jobs (type, status, dataset, params, progress, started_at, cancel_requested)
                values (?, 'RUNNING', 'recovery', cast(? as jsonb), cast(? as jsonb), now(), ?) returning id""")
                .params(type, params, progress, cancelRequested).query(Long.class).single();
    }

    private void awaitStep(long id, int step) {
        await().atMost(PATIENCE).until(() -> JobParams.parseObject(jobs.get(id).getProgress()).path("step").asInt() >= step);
    }

    private Job awaitFinal(long id) {
        await().atMost(PATIENCE).until(() -> jobs.get(id).getStatus().isFinal());
        return jobs.get(id);
    }
}
