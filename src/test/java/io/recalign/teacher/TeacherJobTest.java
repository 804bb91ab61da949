package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recalign.IntegrationTest;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.SyntheticSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code teacher} job through the admin API: submit, watch, cancel, and the teacher endpoints. */
@IntegrationTest
class TeacherJobTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;
    private static final String TINY = "\"maxLen\": 8, \"hidden\": 32, \"blocks\": 1, \"heads\": 2, \"batchSize\": 64";

    @Autowired
    RestTestClient http;

    @Autowired
    CatalogService catalog;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aTeacherJobTrainsStoresAndActivatesWithEpochHistory() {
        catalog.generateSynthetic("teacher-job", new SyntheticSpec(60, 80, 12, 21));
        http.get().uri("/admin/datasets/teacher-job/teacher").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail")
                .isEqualTo("dataset 'teacher-job' has no trained teacher; run `teacher train --dataset teacher-job`");

        String location = submit("teacher-job", "{" + TINY + ", \"epochs\": 3, \"patience\": 3, \"seed\": 5}");
        await().atMost(Duration.ofSeconds(120)).until(() -> job(location).get("status").asString(), status ->
                status.equals("SUCCEEDED") || status.equals("FAILED"));

        JsonNode job = job(location);
        assertThat(job.get("status").asString()).as("error: %s", job.get("error")).isEqualTo("SUCCEEDED");
        assertThat(job.get("params").get("hidden").asInt()).isEqualTo(32);
        assertThat(job.get("params").get("dropout").asDouble()).as("defaults are stored").isEqualTo(0.5);
        JsonNode progress = job.get("progress");
        assertThat(progress.get("unit").asString()).isEqualTo("epoch");
        JsonNode history = progress.get("history");
        assertThat(history).hasSize(3);
        for (int epoch = 0; epoch < 3; epoch++) {
            JsonNode point = history.get(epoch);
            assertThat(point.get("step").asInt()).isEqualTo(epoch + 1);
            assertThat(point.get("loss").asDouble()).isPositive();
            assertThat(point.get("metrics").get("valid_ndcg@10").asDouble()).isBetween(0.0, 1.0);
            assertThat(point.get("metrics").get("best_epoch").asInt()).isBetween(1, epoch + 1);
        }
        JsonNode result = progress.get("result");
        long teacherId = result.get("teacher_id").asLong();
        assertThat(result.get("dataset").asString()).isEqualTo("teacher-job");
        assertThat(result.get("epochs_run").asInt()).isEqualTo(3);
        assertThat(result.get("test").get("ndcg@10").asDouble()).isBetween(0.0, 1.0);

        http.get().uri("/admin/datasets/teacher-job/teacher").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(teacherId)
                .jsonPath("$.active").isEqualTo(true)
                .jsonPath("$.status").isEqualTo("READY")
                .jsonPath("$.jobId").isEqualTo(job.get("id").asLong())
                .jsonPath("$.config.model.hidden").isEqualTo(32)
                .jsonPath("$.config.training.seed").isEqualTo(5)
                .jsonPath("$.metrics.test['ndcg@10']").isEqualTo(result.get("test").get("ndcg@10").asDouble())
                .jsonPath("$.createdAt").exists()
                .jsonPath("$.weights").doesNotExist();
        http.get().uri("/admin/teachers?dataset=teacher-job").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].id").isEqualTo(teacherId);
        http.get().uri("/admin/teachers?dataset=teacher-no-such").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void aCancelledTeacherJobStopsAndStoresNothing() {
        catalog.generateSynthetic("teacher-job-cancel", new SyntheticSpec(60, 80, 12, 22));
        String location = submit("teacher-job-cancel", "{" + TINY + ", \"epochs\": 10000, \"patience\": 10000}");
        await().atMost(Duration.ofSeconds(60)).until(() -> job(location).path("progress").path("history").size() >= 1);

        http.post().uri(location + "/cancel").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(30)).until(() -> job(location).get("status").asString().equals("CANCELLED"));

        http.get().uri("/admin/teachers?dataset=teacher-job-cancel").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void invalidTeacherJobsAreRejectedWithTheirReason() {
        catalog.generateSynthetic("teacher-job-invalid", new SyntheticSpec(30, 40, 8, 23));
        rejected("teacher-job-invalid", "{\"hidden\": 30, \"heads\": 4}", "hidden (30) must be a multiple of heads (4)");
        rejected("teacher-job-invalid", "{\"epochs\": 0}", "epochs must be between 1 and 10000, was 0");
        rejected("teacher-job-invalid", "{\"dropout\": 1.5}", "dropout must be in [0, 1), was 1.5");
        rejected("teacher-job-invalid", "{\"learningRate\": 0.1}", "unknown parameter 'learningRate'");
        rejected("teacher-no-such-dataset", "{}", "no dataset named 'teacher-no-such-dataset'");
    }

    private void rejected(String dataset, String params, String reason) {
        http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER).contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\": \"teacher\", \"dataset\": \"" + dataset + "\", \"params\": " + params + "}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(reason));
    }

    private String submit(String dataset, String params) {
        return http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\": \"teacher\", \"dataset\": \"" + dataset + "\", \"params\": " + params + "}")
                .exchange()
                .expectStatus().isAccepted()
                .returnResult().getResponseHeaders().getLocation().getPath();
    }

    private JsonNode job(String location) {
        String body = http.get().uri(location).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return json.readTree(body);
    }
}
