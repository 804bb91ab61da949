package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.recalign.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The background worker on the embedded database, with the test job types. */
@IntegrationTest
class JobExecutorTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Autowired
    JobService jobs;

    @Autowired
    CountingJobHandler counting;

    @Autowired
    MeterRegistry registry;

    @Test
    void aSubmittedJobRunsAndSucceedsWithItsProgressHistoryAndResult() {
        Job job = jobs.submit(count("executor-success", Map.of("steps", 4)));
        assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
        // defaults filled in by the handler are stored with the job
        assertThat(JobParams.parseObject(job.getParams()).get("sleepMillis").asInt()).isEqualTo(5);

        Job done = awaitFinal(job.getId());

        assertThat(done.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.getError()).isNull();
        assertThat(done.getStartedAt()).isNotNull();
        assertThat(done.getFinishedAt()).isAfterOrEqualTo(done.getStartedAt());
        JsonNode progress = JobParams.parseObject(done.getProgress());
        assertThat(progress.get("step").asInt()).isEqualTo(4);
        assertThat(progress.get("total").asInt()).isEqualTo(4);
        assertThat(progress.get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(progress.get("phase").asString()).isEqualTo("counting");
        assertThat(progress.get("etaSeconds").asDouble()).isZero();
        assertThat(progress.get("history")).extracting(point -> point.get("loss").asDouble())
                .containsExactly(1.0, 0.5, 1.0 / 3, 0.25);
        assertThat(progress.get("result").get("counted").asInt()).isEqualTo(4);
        assertThat(registry.get("recalign.jobs.finished").tag("type", CountingJobHandler.TYPE)
                .tag("status", "succeeded").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void jobsRunOneAtATimeInTheOrderTheyWereQueued() {
        List<Long> ids = List.of(
                jobs.submit(count("executor-order", Map.of("steps", 3, "sleepMillis", 20))).getId(),
                jobs.submit(count("executor-order", Map.of("steps", 3, "sleepMillis", 20))).getId(),
                jobs.submit(count("executor-order", Map.of("steps", 3, "sleepMillis", 20))).getId());

        List<Job> done = ids.stream().map(this::awaitFinal).toList();

        assertThat(done).extracting(Job::getStatus).containsOnly(JobStatus.SUCCEEDED);
        assertThat(counting.started()).containsSubsequence(ids);
        assertThat(counting.maxConcurrentRuns()).isEqualTo(1);
        for (int i = 1; i < done.size(); i++) {
            assertThat(done.get(i).getStartedAt()).isAfterOrEqualTo(done.get(i - 1).getFinishedAt());
        }
    }

    @Test
    void aQueuedJobIsCancelledAtOnceAndARunningOneAtItsNextCheck() {
        Job running = jobs.submit(count("executor-cancel", Map.of("steps", 2000, "sleepMillis", 5)));
        Job queued = jobs.submit(count("executor-cancel", Map.of("steps", 1)));
        awaitStatus(running.getId(), JobStatus.RUNNING);

        Job cancelledAtOnce = jobs.cancel(queued.getId());
        assertThat(cancelledAtOnce.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelledAtOnce.getFinishedAt()).isNotNull();

        Job asked = jobs.cancel(running.getId());
        // the job may already have seen the request by the time the answer is read
        assertThat(asked.getStatus()).isIn(JobStatus.RUNNING, JobStatus.CANCELLED);
        assertThat(asked.isCancelRequested()).isTrue();
        Job cancelled = awaitFinal(running.getId());

        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(JobParams.parseObject(cancelled.getProgress()).get("step").asInt()).isLessThan(2000);
        assertThat(counting.started()).contains(running.getId()).doesNotContain(queued.getId());
        assertThatThrownBy(() -> jobs.cancel(running.getId()))
                .isInstanceOf(ConflictException.class)
                .hasMessage("job " + running.getId() + " is already CANCELLED and cannot be cancelled");
    }

    @Test
    void aFailureRecordsTheMessage() {
        Job job = jobs.submit(count("executor-failure", Map.of("steps", 5, "failAt", 2)));

        Job failed = awaitFinal(job.getId());

        assertThat(failed.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.getError()).isEqualTo("failed on purpose at step 2");
        assertThat(JobParams.parseObject(failed.getProgress()).get("step").asInt()).isEqualTo(2);
    }

    @Test
    void aRunningJobIsVisibleInTheDatabaseAndAsMetrics() {
        Job job = jobs.submit(count("executor-metrics", Map.of("steps", 400, "sleepMillis", 5)));

        await().atMost(PATIENCE).until(() -> JobParams.parseObject(jobs.get(job.getId()).getProgress()).path("step").asInt() >= 3);
        Gauge progress = registry.find("recalign.job.progress").tag("type", CountingJobHandler.TYPE).gauge();
        assertThat(progress).isNotNull();
        assertThat(progress.value()).isBetween(0.0, 1.0);
        assertThat(registry.get("recalign.job.loss").tag("type", CountingJobHandler.TYPE).gauge().value()).isPositive();
        assertThat(registry.get("recalign.jobs").tag("status", "running").gauge().value()).isGreaterThanOrEqualTo(1);
        JsonNode partial = JobParams.parseObject(jobs.get(job.getId()).getProgress());
        assertThat(partial.get("history").size()).isGreaterThanOrEqualTo(3);
        assertThat(partial.get("etaSeconds").asDouble()).isPositive();

        jobs.cancel(job.getId());
        awaitFinal(job.getId());
        assertThat(registry.find("recalign.job.progress").tag("type", CountingJobHandler.TYPE).gauge()).isNull();
    }

    @Test
    void listsJobsByStatusAndType() {
        Job job = jobs.submit(count("executor-list", Map.of("steps", 1)));
        awaitFinal(job.getId());

        assertThat(jobs.recent(JobStatus.SUCCEEDED, CountingJobHandler.TYPE, 1000)).extracting(Job::getId).contains(job.getId());
        assertThat(jobs.recent(JobStatus.FAILED, null, 1000)).extracting(Job::getId).doesNotContain(job.getId());
        assertThat(jobs.recent(null, ResumableJobHandler.TYPE, 1000)).extracting(Job::getId).doesNotContain(job.getId());
        assertThat(jobs.types()).contains(CountingJobHandler.TYPE, ResumableJobHandler.TYPE);
    }

    private static JobRequest count(String dataset, Map<String, Object> params) {
        return JobRequest.of(CountingJobHandler.TYPE, dataset, params);
    }

    private Job awaitFinal(long id) {
        await().atMost(PATIENCE).until(() -> jobs.get(id).getStatus().isFinal());
        return jobs.get(id);
    }

    private void awaitStatus(long id, JobStatus status) {
        await().atMost(PATIENCE).until(() -> jobs.get(id).getStatus() == status);
    }
}
