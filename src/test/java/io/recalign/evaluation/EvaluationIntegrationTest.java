package io.recalign.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.djl.ndarray.NDManager;
import io.recalign.IntegrationTest;
import io.recalign.CommandLineRun;
import io.recalign.alignment.ModelKind;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.llm.Checkpoints;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TokenizerBuilder;
import io.recalign.system.BadRequestException;
import io.recalign.teacher.SasRecConfig;
import io.recalign.teacher.TeacherService;
import io.recalign.teacher.TrainingExamples;
import io.recalign.teacher.TrainingOptions;
import io.recalign.teacher.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluation in the running service: the teacher and a registered (tiny, untrained) model evaluated,
 * stored and listed, the job through the admin API, the report page, the commands and their errors.
 */
@IntegrationTest
class EvaluationIntegrationTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;
    private static final String DATASET = "eval-it";
    private static final String SVG = "http://www.w3.org/2000/svg";

    /** An RL model (untrained weights) and the SFT model it was trained from; only the RL model is evaluated. */
    private static Long modelId;
    private static Long sftId;

    @Autowired
    CatalogService catalog;

    @Autowired
    TeacherService teachers;

    @Autowired
    ModelRegistry models;

    @Autowired
    EvaluationService evaluations;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RestTestClient http;

    @Autowired
    ApplicationContext context;

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path temp;

    /** Once: a synthetic dataset, its teacher, an SFT model and an RL model trained from it, with their jobs' histories. */
    @BeforeEach
    void prepare() throws Exception {
        synchronized (EvaluationIntegrationTest.class) {
            if (modelId != null) {
                return;
            }
            catalog.generateSynthetic(DATASET, new SyntheticSpec(40, 60, 12, 3));
            teachers.train(DATASET, new SasRecConfig(10, 16, 1, 1, 32, 0.1),
                    new TrainingOptions(3, 2, 64, 5e-3, 1, TrainingExamples.ALL_WINDOWS), TrainingProgress.NONE,
                    () -> false, null);
            CatalogSnapshot snapshot = catalog.snapshot(DATASET);
            TokenizerBuilder.BuiltTokenizer tokenizer = new TokenizerBuilder()
                    .titles(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList())
                    .categories(snapshot.categories())
                    .corpus(List.of("You are an expert recommender engine. Task: sequential recommendation."))
                    .build();
            Path tokenizerFile = temp.resolve("tokenizer.json");
            tokenizer.write(tokenizerFile);
            LlamaConfig config = new LlamaConfig("llama", tokenizer.vocabSize(), 32, 64, 1, 4, 2, 8, 320, 1e-5, false,
                    false, false, false, LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);
            Path checkpoint = temp.resolve("checkpoint");
            try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.create(config, manager, 4)) {
                Checkpoints.export(model, tokenizerFile, checkpoint);
            }
            long sftJob = finishedJob("sft", """
                    {"history": [{"unit": "step", "step": 10, "loss": 3.5}, {"unit": "step", "step": 20, "loss": 2.5}]}""");
            RegisteredModel sft = models.register(new ModelRegistry.NewModel(ModelKind.SFT, null, DATASET, null,
                    Map.of("test", "tiny untrained"), sftJob));
            sftId = models.finish(sft.id(), checkpoint, Map.of()).id();
            long rlJob = finishedJob("rl", """
                    {"history": [
                      {"unit": "step", "step": 10, "loss": 0.9, "metrics": {"reward_mean": 1.0, "kl": 0.00}},
                      {"unit": "step", "step": 20, "loss": 0.8, "metrics": {"reward_mean": 2.0, "kl": 0.05}},
                      {"unit": "step", "step": 30, "loss": 0.7, "metrics": {"reward_mean": 2.5, "kl": 0.08}}]}""");
            RegisteredModel rl = models.register(new ModelRegistry.NewModel(ModelKind.RL, sftId, DATASET, null,
                    Map.of("test", "tiny untrained"), rlJob));
            modelId = models.finish(rl.id(), checkpoint, Map.of()).id();
        }
    }

    @Test
    void anEvaluationJobRunsThroughTheAdminApiAndIsListed() {
        String location = http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\": \"evaluation\", \"dataset\": \"" + DATASET + "\", \"model\": \"teacher\","
                        + " \"params\": {\"users\": 15}}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.params.model").isEqualTo("teacher").jsonPath("$.params.seed").isEqualTo(42)
                .returnResult().getResponseHeaders().getLocation().getPath();
        await().atMost(Duration.ofSeconds(60)).until(() -> job(location).path("status").asString().equals("SUCCEEDED"));
        JsonNode job = job(location);
        long evaluationId = job.path("progress").path("result").path("evaluationId").asLong();
        assertThat(job.path("progress").path("step").asLong()).isEqualTo(job.path("progress").path("total").asLong());

        JsonNode listed = json.readTree(http.get().uri("/admin/evaluations?dataset=" + DATASET)
                .header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        JsonNode run = listed.valueStream().filter(node -> node.path("id").asLong() == evaluationId).findFirst().orElseThrow();
        assertThat(run.path("model").asString()).isEqualTo("teacher");
        assertThat(run.path("modelKind").asString()).isEqualTo("TEACHER");
        assertThat(run.path("decoding").asString()).isEqualTo("top-k");
        assertThat(run.path("users").asInt()).isEqualTo(15);
        assertThat(run.path("jobId").asLong()).isEqualTo(Long.parseLong(location.substring(location.lastIndexOf('/') + 1)));
        assertThat(run.path("tasks").valueStream().map(task -> task.path("task").asString()))
                .containsExactly("seqrec", "control-in", "control-out", "rate-lp", "rate-mp", "rate-ep", "item-count");
        run.path("tasks").forEach(task -> {
            assertThat(task.path("metrics").path(Metrics.CORRECT_COUNT).asDouble()).isEqualTo(1.0);
            assertThat(task.path("metrics").path(Metrics.RECALL).asDouble()).isBetween(0.0, 1.0);
        });
        http.get().uri("/admin/evaluations/{id}", evaluationId).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.tasks[0].lists").isEqualTo(15);
        http.get().uri("/admin/evaluations/{id}", Long.MAX_VALUE).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void aRegisteredModelIsEvaluatedAndTheReportShowsItsTrainingCurves() throws Exception {
        StoredEvaluation teacherRun = evaluations.evaluate(evaluations.check(
                new EvaluationService.Request(DATASET, "teacher", null, 6, 7, 16)), null, Evaluator.Progress.NONE);
        StoredEvaluation modelRun = evaluations.evaluate(evaluations.check(
                new EvaluationService.Request(DATASET, modelId.toString(), "free", 6, 7, 24)), null, Evaluator.Progress.NONE);
        assertThat(modelRun.modelId()).isEqualTo(modelId);
        assertThat(modelRun.modelKind()).isEqualTo("RL");
        assertThat(modelRun.decoding()).isEqualTo("free");
        assertThat(modelRun.teacherId()).isEqualTo(teacherRun.teacherId()).isNotNull();
        assertThat(modelRun.tasks()).extracting(EvaluationOutcome.TaskMetrics::task)
                .containsExactlyElementsOf(teacherRun.tasks().stream().map(EvaluationOutcome.TaskMetrics::task).toList());
        assertThat(evaluations.get(modelRun.id())).isEqualTo(modelRun);
        assertThat(modelRun.tasks().get(0).metrics().keySet()).as("read back in table order")
                .containsExactly(Metrics.RECALL, Metrics.NDCG, Metrics.NON_EXIST_RATE, Metrics.REPEAT_RATE,
                        Metrics.IN_HISTORY_RATE, Metrics.CORRECT_COUNT);
        StoredEvaluation guidedRun = evaluations.evaluate(evaluations.check(
                new EvaluationService.Request(DATASET, modelId.toString(), "guided", 6, 7, 24)), null, Evaluator.Progress.NONE);
        assertThat(guidedRun.decoding()).isEqualTo("guided");
        assertThat(guidedRun.label()).isEqualTo("RL #" + modelId + " guided");
        assertThat(guidedRun.tasks()).extracting(EvaluationOutcome.TaskMetrics::task)
                .containsExactlyElementsOf(modelRun.tasks().stream().map(EvaluationOutcome.TaskMetrics::task).toList());
        guidedRun.tasks().forEach(task -> {
            assertThat(task.metrics().get(Metrics.NON_EXIST_RATE)).as(task.task()).isZero();
            assertThat(task.metrics().get(Metrics.REPEAT_RATE)).as(task.task()).isZero();
            assertThat(task.metrics().get(Metrics.IN_HISTORY_RATE)).as(task.task()).isZero();
            assertThat(task.metrics().get(Metrics.CORRECT_COUNT)).as(task.task()).isEqualTo(1.0);
        });

        String html = http.get().uri("/admin/reports/{dataset}", DATASET).header(HttpHeaders.AUTHORIZATION, BEARER)
                .accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        Document page = ReportRendererTest.parse(html);
        assertThat(ReportRendererTest.ids(page, "section")).containsExactly("comparison", "controls", "training");
        Element tbody = (Element) page.getElementsByTagName("tbody").item(0);
        assertThat(tbody.getElementsByTagName("tr").getLength()).as("teacher, RL free and RL guided rows per task")
                .isEqualTo(3 * modelRun.tasks().size());
        assertThat(html).contains("RL #" + modelId + " guided");
        assertThat(html).contains("RL #" + modelId + ": job ").contains("SFT #" + sftId + ": job ");
        assertThat(page.getElementsByTagNameNS(SVG, "svg").getLength())
                .as("control charts, loss, reward and KL of the RL job, loss of the SFT job it started from"
                        + " (this teacher was trained without a job)")
                .isEqualTo(ReportRenderer.CHARTS.size() + 4);
        assertThat(page.getElementsByTagNameNS(SVG, "polyline").getLength()).isEqualTo(4);

        http.get().uri("/admin/reports/{dataset}", "no-such-dataset").header(HttpHeaders.AUTHORIZATION, BEARER)
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingRuns() {
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"" + DATASET + "\", \"model\": \"teacher\","
                + " \"params\": {\"decoding\": \"free\"}}", 400, "decoding applies to registry models only");
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"" + DATASET + "\", \"model\": \"" + modelId
                + "\", \"params\": {\"decoding\": \"beam\"}}", 400, "decoding must be 'free' or 'guided'");
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"" + DATASET + "\", \"model\": \"999999\"}", 404, "no model 999999");
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"" + DATASET + "\", \"model\": \"bert\"}", 400,
                "model must be 'teacher' or a registry model id");
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"" + DATASET + "\"}", 400, "needs a model");
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"" + DATASET + "\", \"model\": \"teacher\","
                + " \"params\": {\"users\": 0}}", 400, "users must be at least 1");
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"no-such-dataset\", \"model\": \"teacher\"}", 404, "no-such-dataset");
        catalog.generateSynthetic("eval-it-untaught", new SyntheticSpec(40, 30, 10, 1));
        expectProblem("{\"type\": \"evaluation\", \"dataset\": \"eval-it-untaught\", \"model\": \"teacher\"}", 404,
                "teacher train --dataset eval-it-untaught");
        assertThatThrownBy(() -> evaluations.check(new EvaluationService.Request(DATASET, "teacher", null, null, 1, 0)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("batchSize");
    }

    @Test
    void theCommandsPrintTheTableAndWriteTheReport() throws Exception {
        // evaluate runs its job in the foreground, as only the command line's own context can
        CommandLineRun evaluate = CommandLineRun.of("evaluate", "--dataset", DATASET, "--model", "teacher", "--users", "12", "--json");
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        List<String> lines = evaluate.linesFrom("evaluation ");
        assertThat(lines.get(0)).startsWith("evaluation ").contains("teacher (top-k) on " + DATASET + ", 12 users");
        assertThat(lines.get(1)).startsWith("TASK").contains("RECALL", "NDCG", "NONEXIST", "REPEAT", "INHIST", "COUNT", "TCR", "RATE");
        assertThat(lines.subList(2, 9)).extracting(line -> line.split("\\s+")[0])
                .containsExactly("seqrec", "control-in", "control-out", "rate-lp", "rate-mp", "rate-ep", "item-count");
        JsonNode stored = json.readTree(lines.get(lines.size() - 1));
        assertThat(stored.path("users").asInt()).isEqualTo(12);
        assertThat(stored.path("tasks").size()).isEqualTo(7);
        assertThat(evaluations.get(stored.path("id").asLong()).jobId()).as("the foreground job is kept").isNotNull();

        Path file = temp.resolve("report.html");
        List<String> report = CommandLineRun.inContext(context, new ReportCommand(), "--dataset", DATASET, "--out", file.toString(), "--json");
        Document page = ReportRendererTest.parse(Files.readString(file));
        assertThat(ReportRendererTest.ids(page, "section")).containsExactly("comparison", "controls", "training");
        assertThat(json.readTree(report.get(report.size() - 1)).path("bytes").asLong()).isEqualTo(Files.size(file));
        assertThatThrownBy(() -> CommandLineRun.inContext(context, new ReportCommand(), "--dataset", DATASET, "--out",
                temp.resolve("nowhere/report.html").toString())).hasMessageContaining("does not exist");
        assertThat(temp.resolve("nowhere")).doesNotExist();
    }

    private long finishedJob(String type, String progress) {
        return jdbc.sql("""
                        insert into jobs (type, status, dataset, params, progress, finished_at)
                        values (?, 'SUCCEEDED', ?, '{}'::jsonb, cast(? as jsonb), now()) returning id""")
                .params(type, DATASET, progress).query(Long.class).single();
    }

    private void expectProblem(String body, int status, String detail) {
        http.post().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER).contentType(MediaType.APPLICATION_JSON)
                .body(body).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).value(problem -> assertThat(json.readTree(problem).path("detail").asString())
                        .as(body).contains(detail));
    }

    private JsonNode job(String location) {
        return json.readTree(http.get().uri(location).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }
}
