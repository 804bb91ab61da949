package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.ndarray.NDManager;
import io.recalign.alignment.ModelRegistry;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.system.LocalPostgres;
import io.recalign.system.TcpProxy;
import io.recalign.teacher.SasRecConfig;
import io.recalign.teacher.TeacherService;
import io.recalign.teacher.TrainingExamples;
import io.recalign.teacher.TrainingOptions;
import io.recalign.teacher.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service while its PostgreSQL is gone: the database sits behind a proxy that the test cuts (open
 * connections reset, new ones refused, as when the server stops) and restores. Readiness turns DOWN,
 * requests that need the database fail fast with 503 problem+json and Retry-After, requests served from
 * memory (a cached active model, a cached teacher, with an explicit history) keep answering, and the
 * service recovers on its own when the database is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"recalign.admin.token=" + DatabaseFaultTest.TOKEN, "recalign.serving.model-poll-interval=500ms",
            "recalign.demo.enabled=false"})
@AutoConfigureRestTestClient
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseFaultTest {

    static final String TOKEN = "db-fault-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The pool's connection timeout is 3 s; a failing request must not take much longer. */
    private static final Duration FAST = Duration.ofSeconds(10);

    private static Path home;
    private static LocalPostgres database;
    private static TcpProxy proxy;

    @DynamicPropertySource
    static void databaseBehindAProxy(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(Path.of("target"));
        home = Files.createTempDirectory(Path.of("target"), "db-fault-").toAbsolutePath();
        database = LocalPostgres.open(home.resolve("postgres"));
        proxy = new TcpProxy(database.port());
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/recalign");
        registry.add("spring.datasource.username", database::username);
        registry.add("recalign.home", home::toString);
    }

    @Autowired
    RestTestClient http;
    @Autowired
    CatalogService catalog;
    @Autowired
    TeacherService teachers;
    @Autowired
    ModelRegistry registry;

    private NDManager manager;
    private CatalogSnapshot teacherData;
    private CatalogSnapshot modelData;

    @BeforeAll
    void datasets() throws IOException {
        catalog.generateSynthetic("faults-teacher", new SyntheticSpec(60, 80, 12, 3));
        teachers.train("faults-teacher", new SasRecConfig(8, 32, 1, 2, 64, 0.1),
                new TrainingOptions(2, 2, 64, 5e-3, 7, TrainingExamples.ALL_WINDOWS), TrainingProgress.NONE, () -> false, null);
        catalog.generateSynthetic("faults-model", new SyntheticSpec(60, 80, 12, 4));
        catalog.generateSynthetic("faults-cold", new SyntheticSpec(40, 40, 10, 5));
        teacherData = catalog.snapshot("faults-teacher");
        modelData = catalog.snapshot("faults-model");
        manager = NDManager.newBaseManager();
        registry.activate(ServingFixtures.registerRandomModel(registry, modelData, home, manager, 11).id());
    }

    @AfterAll
    void stopDatabase() throws IOException {
        manager.close();
        proxy.close();
        database.close();
    }

    @Test
    void readinessGoesDownDatabaseRequestsFailFastCachedAnswersGoOnAndTheServiceRecovers() throws IOException {
        // served once while the database is up: the snapshots, the teacher and the model are now in memory
        assertThat(recommend(historyRequest("faults-teacher", teacherData)).get("source").asString()).isEqualTo("teacher");
        assertThat(recommend(historyRequest("faults-model", modelData)).get("source").asString()).isEqualTo("llm");
        assertThat(readiness()).isEqualTo(200);

        proxy.cut();

        await().atMost(FAST).until(() -> readiness() == 503);
        long started = System.nanoTime();
        unavailable(http.get().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange()
                .expectStatus().isEqualTo(503).returnResult(String.class));
        unavailable(http.post().uri(RecommendationsController.PATH).contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(Map.of("dataset", "faults-cold", "history", List.of(
                        "no-matter"))))
                .exchange().expectStatus().isEqualTo(503).returnResult(String.class));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST.multipliedBy(2));

        for (int round = 0; round < 3; round++) {
            JsonNode fromModel = recommend(historyRequest("faults-model", modelData));
            assertThat(fromModel.get("source").asString()).isEqualTo("llm");
            assertThat(fromModel.get("items")).hasSize(5);
            JsonNode fromTeacher = recommend(historyRequest("faults-teacher", teacherData));
            assertThat(fromTeacher.get("source").asString()).isEqualTo("teacher");
            assertThat(fromTeacher.get("items")).hasSize(5);
        }

        proxy.restore();

        await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
        String datasets = http.get().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseBody();
        assertThat(datasets).contains("faults-cold");
        // the dataset that could not be read before is read now; it has no teacher, which is a 404 of its own
        String cold = http.post().uri(RecommendationsController.PATH).contentType(MediaType.APPLICATION_JSON)
                .body(historyRequest("faults-cold", catalog.snapshot("faults-cold")))
                .exchange().expectStatus().isNotFound().returnResult(String.class).getResponseBody();
        assertThat(cold).contains("has no trained teacher");
        assertThat(recommend(historyRequest("faults-model", modelData)).get("source").asString()).isEqualTo("llm");
    }

    private int readiness() {
        return http.get().uri("/actuator/health/readiness").exchange().returnResult(String.class).getStatus().value();
    }

    private JsonNode recommend(String body) {
        return JSON.readTree(http.post().uri(RecommendationsController.PATH).contentType(MediaType.APPLICATION_JSON)
                .body(body).exchange().expectStatus().isOk().returnResult(String.class).getResponseBody());
    }

    /** Five items after the first user's own items, named by id: nothing to look up in the database. */
    private static String historyRequest(String dataset, CatalogSnapshot snapshot) {
        int[] items = snapshot.users().get(0).items();
        List<String> history = java.util.Arrays.stream(items).limit(6)
                .mapToObj(item -> snapshot.items().get(item).externalId()).toList();
        return JSON.writeValueAsString(Map.of("dataset", dataset, "history", history, "count", 5));
    }

    private static void unavailable(EntityExchangeResult<String> result) {
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        JsonNode problem = JSON.readTree(result.getResponseBody());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asString()).isEqualTo("The database is unavailable; retry shortly.");
    }
}
