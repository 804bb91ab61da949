package io.recalign.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recalign.RecalignApplication;
import io.recalign.alignment.ModelKind;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.evaluation.EvaluationService;
import io.recalign.system.Job;
import io.recalign.system.JobService;
import io.recalign.system.JobStatus;
import io.recalign.teacher.TeacherService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first run of the service on an empty database of its own, with a tiny demo configuration: the
 * pipeline starts by itself, survives a restart in the middle, ends with the RL model answering the
 * recommendation API, and a start after that queues nothing.
 */
class DemoBootstrapTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A catalog of 60 users and items, a teacher of 2 epochs, a one-layer SFT model, one PPO step. */
    private static final List<String> TINY = List.of(
            "recalign.demo.users=60", "recalign.demo.items=60", "recalign.demo.interactions-per-user=12",
            "recalign.demo.seed=5", "recalign.demo.teacher-epochs=2", "recalign.demo.teacher-hidden=32",
            "recalign.demo.train-examples=8", "recalign.demo.valid-examples=2", "recalign.demo.sft-steps=20",
            "recalign.demo.sft-batch-size=8", "recalign.demo.sft-hidden=64", "recalign.demo.sft-layers=1",
            "recalign.demo.rl-steps=1", "recalign.demo.rl-prompts=2", "recalign.demo.rl-valid-prompts=2",
            "recalign.demo.evaluation-users=3");

    private static Path home;

    @BeforeAll
    static void freshHome() throws IOException {
        Files.createDirectories(Path.of("target"));
        home = Files.createTempDirectory(Path.of("target"), "demo-home-").toAbsolutePath();
    }

    @AfterAll
    static void deleteHome() throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void firstStartTrainsTheDemoAcrossARestartAndALaterStartQueuesNothing() throws Exception {
        try (ConfigurableApplicationContext first = start()) {
            // the first start queued the pipeline's first step by itself
            assertThat(jobs(first)).extracting(Job::getType).contains(DemoJobHandler.TYPE);
            TeacherService teachers = first.getBean(TeacherService.class);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
                failOnError(first);
                return teachers.active("demo").isPresent();
            });
            // until a model is activated, the teacher answers
            String user = first.getBean(CatalogService.class).snapshot("demo").users().get(0).externalId();
            JsonNode answer = recommend(first, Map.of("dataset", "demo", "userId", user, "count", 3));
            assertThat(answer.get("source").asString()).isEqualTo("teacher");
        } // stops in the middle of the pipeline (instruction set or SFT), as a restart does

        int jobsSoFar;
        try (ConfigurableApplicationContext second = start()) {
            ModelRegistry registry = second.getBean(ModelRegistry.class);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                failOnError(second);
                return registry.active("demo").isPresent();
            });
            RegisteredModel active = registry.active("demo").orElseThrow();
            assertThat(active.kind()).isEqualTo(ModelKind.RL);
            assertThat(second.getBean(EvaluationService.class).list("demo"))
                    .extracting(run -> run.modelId() == null ? "teacher" : run.modelKind() + " " + run.decoding())
                    .containsExactlyInAnyOrder("teacher", "SFT free", "RL free");
            assertThat(jobs(second)).extracting(Job::getType)
                    .contains("teacher", "sft", "rl", "evaluation", DemoJobHandler.TYPE);

            String user = second.getBean(CatalogService.class).snapshot("demo").users().get(0).externalId();
            JsonNode answer = recommend(second, Map.of("dataset", "demo", "userId", user, "count", 3));
            assertThat(answer.get("source").asString()).isEqualTo("llm");
            assertThat(answer.get("model").get("id").asLong()).isEqualTo(active.id());
            assertThat(answer.get("items")).hasSize(3);
            jobsSoFar = jobs(second).size();
        }

        try (ConfigurableApplicationContext third = start()) {
            assertThat(jobs(third)).as("jobs queued by the start").hasSize(jobsSoFar);
            assertThat(third.getBean(DemoBootstrap.class).start()).isEmpty();
            assertThat(jobs(third)).hasSize(jobsSoFar);
        }
    }

    /** The service on the test's own data directory, on a free port, with the tiny demo sizes. */
    private static ConfigurableApplicationContext start() {
        List<String> properties = new ArrayList<>(TINY);
        properties.addAll(List.of("recalign.home=" + home, "server.port=0", "server.address=127.0.0.1",
                "recalign.admin.token=demo-test-token", "logging.level.root=WARN", "logging.level.io.recalign.demo=INFO"));
        return new SpringApplicationBuilder(RecalignApplication.class).properties(properties.toArray(String[]::new)).run();
    }

    private static List<Job> jobs(ConfigurableApplicationContext context) {
        return context.getBean(JobService.class).recent(null, null, 1000);
    }

    /** Stops the wait at once when a job failed for any reason other than the restart itself. */
    private static void failOnError(ConfigurableApplicationContext context) {
        Optional<Job> failed = jobs(context).stream()
                .filter(job -> job.getStatus() == JobStatus.FAILED && !job.getError().startsWith("interrupted"))
                .findFirst();
        assertThat(failed).as(() -> failed.map(job -> "job " + job.getId() + " (" + job.getType() + "): "
                + job.getError()).orElse("")).isEmpty();
    }

    private static JsonNode recommend(ConfigurableApplicationContext context, Map<String, Object> body)
            throws IOException, InterruptedException {
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/recommendations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
