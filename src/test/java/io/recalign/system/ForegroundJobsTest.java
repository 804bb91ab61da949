package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.recalign.IntegrationTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Jobs a command runs on its own thread, as the command line does with {@code recalign.mode=cli}. */
@IntegrationTest
class ForegroundJobsTest {

    @Autowired
    JobRunner runner;

    @Autowired
    JobHandlers handlers;

    @Autowired
    JobsProperties properties;

    @Autowired
    JobService jobs;

    @Autowired
    JdbcClient jdbc;

    private ForegroundJobs foreground() {
        return new ForegroundJobs(runner, handlers, properties);
    }

    @Test
    void runsOnTheCallingThreadWithProgressAndKeepsTheJobInTheHistory() {
        List<ProgressUpdate> updates = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        StringWriter bar = new StringWriter();
        ProgressBar progressBar = new ProgressBar(new PrintWriter(bar), false, System::nanoTime);

        JsonNode result = foreground().run(JobRequest.of(CountingJobHandler.TYPE, "foreground", Map.of("steps", 3)), update -> {
            updates.add(update);
            threads.add(Thread.currentThread());
            progressBar.accept(update);
        });

        assertThat(result.get("counted").asInt()).isEqualTo(3);
        assertThat(updates).extracting(update -> update.progress().step()).containsExactly(1L, 2L, 3L);
        assertThat(threads).containsOnly(Thread.currentThread());
        assertThat(bar.toString().lines()).hasSize(3).last().asString().startsWith("counting step 3/3 [####################] 100%");
        Job job = jobs.get(updates.get(0).jobId());
        assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.getDataset()).isEqualTo("foreground");
        assertThat(JobParams.parseObject(job.getProgress()).get("history")).hasSize(3);
    }

    @Test
    void aFailedJobThrowsItsRecordedMessage() {
        assertThatThrownBy(() -> foreground().run(
                JobRequest.of(CountingJobHandler.TYPE, "foreground-failure", Map.of("steps", 3, "failAt", 1)), update -> { }))
                .isInstanceOf(JobFailedException.class)
                .hasMessageMatching("job \\d+ failed: failed on purpose at step 1");
    }

    @Test
    void anInvalidRequestIsRejectedAndStoresNothing() {
        assertThatThrownBy(() -> foreground().run(
                JobRequest.of(CountingJobHandler.TYPE, "foreground-invalid", Map.of("steps", 0)), update -> { }))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("invalid parameters: steps must be at least 1, not 0");
        assertThatThrownBy(() -> foreground().run(JobRequest.of("nope", "foreground-invalid", Map.of()), update -> { }))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("unknown job type 'nope'; known types: ")
                .hasMessageContaining(CountingJobHandler.TYPE);

        assertThat(jdbc.sql("select count(*) from jobs where dataset = 'foreground-invalid'").query(Long.class).single()).isZero();
    }

    @Test
    void aCancelThroughTheServiceReachesTheCommandsJob() {
        JobRequest request = JobRequest.of(CountingJobHandler.TYPE, "foreground-cancel", Map.of("steps", 2000, "sleepMillis", 5));

        assertThatThrownBy(() -> foreground().run(request, update -> {
            if (update.progress().step() == 2) {
                jobs.cancel(update.jobId());
            }
        })).isInstanceOf(CancellationException.class).hasMessageMatching("job \\d+ was cancelled");

        assertThat(jobs.recent(JobStatus.CANCELLED, CountingJobHandler.TYPE, 1000))
                .extracting(Job::getDataset).contains("foreground-cancel");
    }

    @Test
    void stoppingTheCommandCancelsItsJob() {
        ForegroundJobs foreground = foreground();
        foreground.start();
        CompletableFuture<JsonNode> run = CompletableFuture.supplyAsync(() -> foreground.run(
                JobRequest.of(CountingJobHandler.TYPE, "foreground-stop", Map.of("steps", 2000, "sleepMillis", 5)), update -> { }));
        await().atMost(Duration.ofSeconds(20)).until(() -> !jobs.recent(JobStatus.RUNNING, CountingJobHandler.TYPE, 1000).stream()
                .filter(job -> "foreground-stop".equals(job.getDataset())).toList().isEmpty());

        foreground.stop();

        assertThatThrownBy(() -> run.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CancellationException.class);
        assertThat(jobs.recent(JobStatus.CANCELLED, CountingJobHandler.TYPE, 1000))
                .extracting(Job::getDataset).contains("foreground-stop");
    }
}
