package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.recalign.IntegrationTest;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.teacher.SasRecConfig;
import io.recalign.teacher.TeacherService;
import io.recalign.teacher.TrainingExamples;
import io.recalign.teacher.TrainingOptions;
import io.recalign.teacher.TrainingProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recommendation API end to end on the embedded database: validation problems, the teacher while no
 * language model is ready, guided and free answers of an activated model, activation by another replica
 * picked up through the database, and a hot swap under load.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecommendationApiTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RestTestClient http;
    @Autowired
    CatalogService catalog;
    @Autowired
    TeacherService teachers;
    @Autowired
    ModelRegistry registry;
    @Autowired
    org.springframework.context.ApplicationContext context;

    @TempDir
    Path folder;

    private final String dataset = "rec-api-" + UUID.randomUUID().toString().substring(0, 8);
    private NDManager manager;
    private CatalogSnapshot snapshot;
    private String user;

    @BeforeAll
    void createDatasetAndTeacher() {
        catalog.generateSynthetic(dataset, new SyntheticSpec(60, 80, 12, 7));
        teachers.train(dataset, new SasRecConfig(8, 32, 1, 2, 64, 0.1),
                new TrainingOptions(2, 2, 64, 5e-3, 7, TrainingExamples.ALL_WINDOWS), TrainingProgress.NONE, () -> false, null);
        snapshot = catalog.snapshot(dataset);
        user = snapshot.users().get(0).externalId();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    void close() {
        manager.close();
    }

    @Test
    @Order(1)
    void badRequestsAreProblems() {
        problem(body(Map.of("userId", user, "count", 0)), 400, "count must be between 1 and 50");
        problem(body(Map.of("userId", user, "count", 51)), 400, "count must be between 1 and 50");
        problem(body(Map.of("userId", user, "instruction", "x".repeat(2001))), 400, "at most 2000 characters");
        problem(body(Map.of("history", java.util.Collections.nCopies(201, snapshot.items().get(0).externalId()))), 400,
                "at most 200 history items");
        problem(body(Map.of("userId", user, "decoding", "beam")), 400, "decoding must be 'guided' or 'free'");
        problem(body(Map.of("userId", user, "categoryShare", Map.of("category", "Comedy", "atLeast", 0.2, "atMost", 0.5))),
                400, "exactly one of atLeast, atMost and about");
        problem(body(Map.of("userId", user, "categoryShare", Map.of("category", "Comedy", "about", 1.5))), 400, "between 0 and 1");
        problem(body(Map.of("candidates", List.of(snapshot.items().get(0).externalId()))), 400, "candidates need a history");
        problem(body(Map.of("userId", user, "count", 5, "candidates", List.of(snapshot.items().get(0).externalId()))), 400,
                "cannot pick 5 items from 1 candidates");
        problem("{\"dataset\":\"" + dataset + "\",\"count\":", 400, "not readable");
    }

    @Test
    @Order(2)
    void unknownNamesAreNotFoundOrUnprocessable() {
        problem(body(Map.of("userId", "no-such-user")), 404, "no user 'no-such-user'");
        problem(body(Map.of("history", List.of("no-such-item"))), 404, "no item with id or title 'no-such-item'");
        problem("{\"dataset\":\"no-such-dataset\",\"userId\":\"1\"}", 404, "no dataset named 'no-such-dataset'");

        JsonNode unknown = problem(body(Map.of("userId", user, "exclude", List.of("Horor"))), 422, "no category 'Horor'");
        assertThat(unknown.get("suggestions").get(0).asString()).isEqualTo("Horror");
        problem(body(Map.of("userId", user, "include", List.of("Comedy"), "exclude", List.of("Comedy"))), 422,
                "only 0 items satisfy");
    }

    @Test
    @Order(3)
    void oversizeBodiesAreRefusedWith413() {
        String large = body(Map.of("userId", user, "instruction", "x".repeat(70_000)));
        http.post().uri(RecommendationsController.PATH).contentType(MediaType.APPLICATION_JSON).body(large).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @Order(4)
    void withoutALanguageModelTheTeacherAnswersUnderTheSameControls() {
        JsonNode answer = ok(body(Map.of("userId", user, "count", 5, "exclude", List.of("Horror"),
                "categoryShare", Map.of("category", "Comedy", "atLeast", 0.4))));

        assertThat(answer.get("source").asString()).isEqualTo("teacher");
        assertThat(answer.get("model").get("kind").asString()).isEqualTo("TEACHER");
        List<JsonNode> items = items(answer);
        assertThat(items).hasSize(5);
        assertThat(items).allSatisfy(item -> assertThat(categories(item)).doesNotContain("Horror"));
        assertThat(items.stream().filter(item -> categories(item).contains("Comedy")).count()).isGreaterThanOrEqualTo(2);
        assertDistinctOutsideHistory(items);
        assertThat(answer.get("answer").asString()).startsWith("1. " + items.get(0).get("title").asString());
    }

    @Test
    @Order(5)
    void anActivatedModelAnswersGuidedAndFree() throws Exception {
        RegisteredModel model = register(1);
        http.post().uri("/admin/models/{id}/activate", model.id()).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo((int) model.id()).jsonPath("$.active").isEqualTo(true);
        http.post().uri("/admin/models/{id}/activate", model.id()).exchange().expectStatus().isUnauthorized();

        JsonNode guided = ok(body(Map.of("userId", user, "count", 6, "exclude", List.of("Horror"),
                "categoryShare", Map.of("category", "Comedy", "about", 0.5), "instruction", "something light please")));
        assertThat(guided.get("source").asString()).isEqualTo("llm");
        assertThat(guided.get("model").get("id").asLong()).isEqualTo(model.id());
        assertThat(guided.get("violations")).isEmpty();
        List<JsonNode> items = items(guided);
        assertThat(items).hasSize(6);
        assertThat(items).allSatisfy(item -> assertThat(categories(item)).doesNotContain("Horror"));
        assertThat(items.stream().filter(item -> categories(item).contains("Comedy")).count()).isBetween(2L, 4L);
        assertDistinctOutsideHistory(items);
        assertThat(guided.get("timing").get("totalMs").asDouble()).isPositive();
        assertThat(guided.get("timing").get("decodeMs").asDouble()).isPositive();

        JsonNode free = ok(body(Map.of("userId", user, "count", 4, "decoding", "free")));
        assertThat(free.get("source").asString()).isEqualTo("llm");
        // an untrained model writes anything: whatever breaks the request is reported, the rest is grounded
        assertThat(items(free).size()).isLessThanOrEqualTo(4);
        if (items(free).size() < 4) {
            assertThat(free.get("violations")).isNotEmpty();
        }
        assertDistinctOutsideHistory(items(free));

        String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody();
        assertThat(metrics).contains("recalign_recommend_latency_seconds_bucket{decoding=\"guided\"",
                "recalign_recommend_latency_seconds_count{decoding=\"free\"", "recalign_recommend_batch_size_count",
                "recalign_recommend_queue_depth", "recalign_recommend_tokens_total");
        if (!free.get("violations").isEmpty()) {
            assertThat(metrics).contains("recalign_recommend_violations_total{type=\""
                    + free.get("violations").get(0).get("type").asString() + "\"");
        }
    }

    @Test
    @Order(6)
    void anActivationByAnotherReplicaIsPickedUpWithinFiveSeconds() throws Exception {
        RegisteredModel next = register(2);

        registry.activate(next.id()); // as another replica or the command line would: only the database knows

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long served;
        do {
            served = ok(body(Map.of("userId", user, "count", 3))).get("model").get("id").asLong();
        } while (served != next.id() && System.nanoTime() < deadline);
        assertThat(served).isEqualTo(next.id());
    }

    @Test
    @Order(7)
    void aHotSwapUnderLoadFailsNoRequest() throws Exception {
        RegisteredModel next = register(3);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Set<Long>>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(clients.submit(() -> {
                    Set<Long> served = new HashSet<>();
                    for (int i = 0; i < 60 && !(served.contains(next.id()) && i > 3); i++) {
                        JsonNode answer = ok(body(Map.of("userId", user, "count", 4, "decoding", i % 2 == 0 ? "guided" : "free")));
                        served.add(answer.get("model").get("id").asLong());
                    }
                    return served;
                }));
            }
            Thread.sleep(200);
            http.post().uri("/admin/models/{id}/activate", next.id()).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                    .expectStatus().isOk();
            Set<Long> served = new HashSet<>();
            for (Future<Set<Long>> worker : workers) {
                served.addAll(worker.get(120, TimeUnit.SECONDS));
            }
            assertThat(served).contains(next.id());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    @Order(8)
    void theActivateCommandSwitchesTheActiveModel() throws Exception {
        RegisteredModel next = register(4);
        ActivateCommand command = new ActivateCommand();
        java.io.StringWriter printed = new java.io.StringWriter();
        picocli.CommandLine commandLine = new picocli.CommandLine(command).setOut(new java.io.PrintWriter(printed));
        commandLine.parseArgs(Long.toString(next.id()));

        assertThat(command.run(context)).isZero();

        assertThat(registry.active(dataset).orElseThrow().id()).isEqualTo(next.id());
        assertThat(printed.toString()).contains("model " + next.id() + " (SFT) is now the active model of dataset " + dataset);
        commandLine.parseArgs("987654321");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> command.run(context))
                .isInstanceOf(io.recalign.system.NotFoundException.class);
    }

    private RegisteredModel register(long seed) throws Exception {
        return ServingFixtures.registerRandomModel(registry, snapshot, folder, manager, seed);
    }

    private String body(Map<String, Object> fields) {
        Map<String, Object> withDataset = new java.util.LinkedHashMap<>(fields);
        withDataset.put("dataset", dataset);
        return JSON.writeValueAsString(withDataset);
    }

    private JsonNode ok(String body) {
        String response = http.post().uri(RecommendationsController.PATH).contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody();
        return JSON.readTree(response);
    }

    private JsonNode problem(String body, int status, String detail) {
        String response = http.post().uri(RecommendationsController.PATH).contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .returnResult(String.class).getResponseBody();
        JsonNode problem = JSON.readTree(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).contains(detail);
        return problem;
    }

    private static List<JsonNode> items(JsonNode answer) {
        List<JsonNode> items = new ArrayList<>();
        answer.get("items").forEach(items::add);
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).get("rank").asInt()).isEqualTo(i + 1);
        }
        return items;
    }

    private static List<String> categories(JsonNode item) {
        List<String> names = new ArrayList<>();
        item.get("categories").forEach(name -> names.add(name.asString()));
        return names;
    }

    private void assertDistinctOutsideHistory(List<JsonNode> items) {
        Set<String> history = new HashSet<>();
        Arrays.stream(snapshot.users().get(0).items()).forEach(item -> history.add(snapshot.items().get(item).externalId()));
        List<String> ids = items.stream().map(item -> item.get("id").asString()).toList();
        assertThat(ids).doesNotHaveDuplicates().noneMatch(history::contains);
    }
}
