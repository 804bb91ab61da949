package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recalign.IntegrationTest;
import io.recalign.system.Job;
import io.recalign.system.JobService;
import io.recalign.system.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training jobs as the alignment job tests drive them: submit and cancel over the admin API, wait
 * for the end, stop the worker as a shutdown does, and check what a job left in the registry and store.
 */
final class AdminJobs {

    static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JobService jobs;
    private final RestTestClient http;

    AdminJobs(JobService jobs, RestTestClient http) {
        this.jobs = jobs;
        this.http = http;
    }

    /** Submits {@code body} to {@code POST /admin/jobs} and returns the queued job's id. */
    long submit(Map<String, Object> body) {
        return http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON).body(body).exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asLong();
    }

    /** Waits until the job has logged {@code steps} steps, cancels it over the admin API and waits for the end. */
    Job cancelAfter(long id, int steps) {
        await().atMost(PATIENCE).until(() -> step(id) >= steps);
        http.post().uri("/admin/jobs/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isAccepted();
        return awaitFinal(id);
    }

    /** Expects {@code POST /admin/jobs} with {@code body} to answer a problem whose detail holds {@code detail}. */
    void expectProblem(Map<String, Object> body, int status, String detail) {
        http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER).contentType(MediaType.APPLICATION_JSON)
                .body(body).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(String.class, text -> assertThat(text).contains(detail));
    }

    /**
     * Waits until the job has logged {@code steps} steps, then stops the job worker as a shutdown does
     * (the job goes back to the queue) and starts it again, so the job resumes.
     */
    void interruptAfter(ApplicationContext context, long id, int steps) {
        await().atMost(PATIENCE).until(() -> step(id) >= steps);
        SmartLifecycle executor = context.getBean("jobExecutor", SmartLifecycle.class);
        try {
            executor.stop();
            assertThat(jobs.get(id).getStatus()).isEqualTo(JobStatus.QUEUED);
        } finally {
            executor.start();
        }
    }

    int step(long id) {
        return JSON.readTree(jobs.get(id).getProgress()).path("step").asInt();
    }

    Job awaitFinal(long id) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> jobs.get(id).getStatus().isFinal());
        return jobs.get(id);
    }

    /** The model a job registered, which must be CANCELLED without files in the store of {@code home}. */
    static RegisteredModel cancelledModel(ModelRegistry registry, long jobId, Path home) {
        RegisteredModel model = registry.list(Optional.of(AlignmentFixture.DATASET)).stream()
                .filter(candidate -> Long.valueOf(jobId).equals(candidate.jobId())).findFirst().orElseThrow();
        assertThat(model.status()).isEqualTo(ModelStatus.CANCELLED);
        assertThat(model.path()).isNull();
        assertThat(AlignmentFixture.storeEntries(home))
                .noneMatch(name -> name.equals(Long.toString(model.id())) || name.startsWith("." + model.id() + "."));
        return model;
    }
}
