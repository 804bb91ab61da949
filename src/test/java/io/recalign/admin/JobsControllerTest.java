package io.recalign.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recalign.IntegrationTest;
import io.recalign.system.Job;
import io.recalign.system.JobRepository;
import io.recalign.system.JobRequest;
import io.recalign.system.JobService;
import io.recalign.system.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

@IntegrationTest
class JobsControllerTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;
    /** A job type of the test context (a handler that counts steps). */
    private static final String COUNT = "test-count";

    @Autowired
    RestTestClient http;

    @Autowired
    JobRepository repository;

    @Autowired
    JobService jobs;

    @Autowired
    JdbcClient jdbc;

    @Test
    void listsNewestJobsFirstUpToTheLimit() {
        Job first = repository.save(new Job("sft", "jobs-list", "{}"));
        Job second = repository.save(new Job("rl", "jobs-list", "{}"));
        Job third = repository.save(new Job("evaluation", "jobs-list", "{}"));

        http.get().uri("/admin/jobs?limit=2").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].id").isEqualTo(third.getId())
                .jsonPath("$[1].id").isEqualTo(second.getId());
        http.get().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == " + first.getId() + ")].type").isEqualTo("sft");
    }

    @Test
    void showsOneJobWithItsJsonDocuments() {
        Job job = new Job("teacher", "jobs-one", "{\"epochs\": 3}");
        job.start();
        job.reportProgress("{\"epoch\": 2, \"loss\": 0.25}");
        Job saved = repository.save(job);

        http.get().uri("/admin/jobs/{id}", saved.getId()).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.type").isEqualTo("teacher")
                .jsonPath("$.status").isEqualTo("RUNNING")
                .jsonPath("$.dataset").isEqualTo("jobs-one")
                .jsonPath("$.params.epochs").isEqualTo(3)
                .jsonPath("$.progress.loss").isEqualTo(0.25)
                .jsonPath("$.cancelRequested").isEqualTo(false)
                .jsonPath("$.startedAt").exists()
                .jsonPath("$.finishedAt").doesNotExist();
    }

    @Test
    void missingJobIsNotFoundProblem() {
        http.get().uri("/admin/jobs/{id}", Long.MAX_VALUE).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("no job " + Long.MAX_VALUE);
    }

    @Test
    void aSubmittedJobIsAcceptedWithItsLocationAndRunsToSuccess() {
        String location = http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\": \"test-count\", \"dataset\": \"jobs-submit\", \"params\": {\"steps\": 2}, \"baseModel\": \"hf/tiny\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.type").isEqualTo(COUNT)
                .jsonPath("$.dataset").isEqualTo("jobs-submit")
                .jsonPath("$.params.steps").isEqualTo(2)
                .jsonPath("$.params.baseModel").isEqualTo("hf/tiny")
                .jsonPath("$.createdAt").exists()
                .returnResult().getResponseHeaders().getLocation().getPath();
        assertThat(location).matches("/admin/jobs/\\d+");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(location).equals("SUCCEEDED"));
        http.get().uri(location).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.progress.step").isEqualTo(2)
                .jsonPath("$.progress.total").isEqualTo(2)
                .jsonPath("$.progress.history.length()").isEqualTo(2)
                .jsonPath("$.progress.history[1].loss").isEqualTo(0.5)
                .jsonPath("$.progress.result.counted").isEqualTo(2)
                .jsonPath("$.finishedAt").exists()
                .jsonPath("$.error").doesNotExist();
        http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(metrics -> assertThat(metrics)
                        .contains("recalign_jobs_finished_total{status=\"succeeded\",type=\"test-count\"}")
                        .contains("recalign_jobs{status=\"queued\"}")
                        .contains("recalign_jobs{status=\"running\"}"));
    }

    @Test
    void invalidSubmissionsAreProblemsAndStoreNothing() {
        assertBadRequest("{\"type\": \"nope\", \"dataset\": \"jobs-invalid\"}", "unknown job type 'nope'; known types: ");
        assertBadRequest("{\"dataset\": \"jobs-invalid\"}", "a job needs a type");
        assertBadRequest("{\"type\": \"test-count\", \"datset\": \"jobs-invalid\"}",
                "unknown field 'datset'; a job has type, dataset, params, baseModel, fromModel and model");
        assertBadRequest("{\"type\": \"test-count\", \"dataset\": \"jobs-invalid\", \"params\": [1, 2]}",
                "params must be a JSON object");
        assertBadRequest("{\"type\": \"test-count\", \"dataset\": \"jobs-invalid\", \"params\": {\"steps\": 0}}",
                "invalid parameters: steps must be at least 1, not 0");
        assertBadRequest("{\"type\": \"test-count\", \"dataset\": \"jobs-invalid\", \"params\": {\"stpes\": 3}}",
                "unknown parameter 'stpes'; known parameters: baseModel, failAt, sleepMillis, steps");
        assertBadRequest("{\"type\": \"test-count\", \"dataset\": \"jobs-invalid\", \"params\": {\"steps\": \"many\"}}",
                "parameter 'steps': ");
        assertBadRequest("{\"type\": \"test-count\", \"dataset\": \"jobs-invalid\", \"baseModel\": \"a\", \"params\": {\"baseModel\": \"b\"}}",
                "baseModel is given twice with different values, at the top level and in params");
        assertBadRequest("{\"type\": \"test-count\", ", "The request body is not readable");

        assertThat(jdbc.sql("select count(*) from jobs where dataset = 'jobs-invalid'").query(Long.class).single()).isZero();
    }

    @Test
    void cancelsAQueuedJobAtOnceARunningOneSoonAndRefusesAFinishedOne() {
        long running = jobs.submit(JobRequest.of(COUNT, "jobs-cancel", Map.of("steps", 2000, "sleepMillis", 5))).getId();
        long queued = jobs.submit(JobRequest.of(COUNT, "jobs-cancel", Map.of("steps", 1))).getId();
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get(running).getStatus() == JobStatus.RUNNING);

        cancel(queued).expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
        cancel(running).expectStatus().isAccepted().expectBody().jsonPath("$.cancelRequested").isEqualTo(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get(running).getStatus() == JobStatus.CANCELLED);

        cancel(running).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("job " + running + " is already CANCELLED and cannot be cancelled");
        cancel(Long.MAX_VALUE).expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void filtersByStatusAndType() {
        long id = jobs.submit(JobRequest.of(COUNT, "jobs-filter", Map.of("steps", 1))).getId();
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get(id).getStatus() == JobStatus.SUCCEEDED);

        http.get().uri("/admin/jobs?status=succeeded&type=test-count&limit=1000")
                .header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.id == " + id + ")]").exists()
                .jsonPath("$[*].status").value(List.class, statuses -> assertThat(statuses).containsOnly("SUCCEEDED"))
                .jsonPath("$[*].type").value(List.class, types -> assertThat(types).containsOnly(COUNT));
        http.get().uri("/admin/jobs?status=failed&type=test-count&limit=1000").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == " + id + ")]").doesNotExist();
        http.get().uri("/admin/jobs?status=done").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail")
                .isEqualTo("unknown job status 'done'; one of: queued, running, succeeded, failed, cancelled");
    }

    @Test
    void submittingAndCancellingNeedTheToken() {
        http.post().uri("/admin/jobs").contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\": \"test-count\", \"dataset\": \"jobs-no-token\"}").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/admin/jobs/1/cancel").exchange().expectStatus().isUnauthorized();

        assertThat(jdbc.sql("select count(*) from jobs where dataset = 'jobs-no-token'").query(Long.class).single()).isZero();
    }

    private String status(String location) {
        return http.get().uri(location).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .returnResult(Map.class).getResponseBody().get("status").toString();
    }

    private RestTestClient.ResponseSpec cancel(long id) {
        return http.post().uri("/admin/jobs/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, BEARER).exchange();
    }

    private void assertBadRequest(String body, String detailStart) {
        http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON).body(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).startsWith(detailStart));
    }
}
