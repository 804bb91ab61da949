package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.IntegrationTest;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.Generator;
import io.recalign.system.Job;
import io.recalign.system.JobRequest;
import io.recalign.system.JobService;
import io.recalign.system.JobStatus;
import io.recalign.system.RecalignProperties;
import io.recalign.tasks.LabelledExample;
import io.recalign.tasks.Split;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.TeacherService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** SFT as a job on the embedded database: a tiny run end to end, cancel, and resume after a stop. */
@IntegrationTest
class SftJobTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** "1. title" as the catalog tokenizer decodes it: "1 . title", "1 0 . title". */
    private static final Pattern LINE = Pattern.compile("^(\\d(?: \\d)*) \\. (.+)$");

    @Autowired
    JobService jobs;

    @Autowired
    ModelRegistry registry;

    @Autowired
    CatalogService catalog;

    @Autowired
    TeacherService teachers;

    @Autowired
    InstructionSets sets;

    @Autowired
    RecalignProperties properties;

    @Autowired
    ApplicationContext context;

    @Autowired
    RestTestClient http;

    private InstructionSet set;
    private AdminJobs api;

    @BeforeEach
    void fixture() {
        set = AlignmentFixture.instructionSet(catalog, teachers, sets);
        api = new AdminJobs(jobs, http);
    }

    @Test
    void tinyRunLowersTheLossAndRegistersAModelThatAnswersWithCatalogTitles() {
        Job job = jobs.submit(JobRequest.of(SftJobHandler.TYPE, AlignmentFixture.DATASET,
                AlignmentFixture.tinyRun(300, 150, 150)));
        Job done = api.awaitFinal(job.getId());

        assertThat(done.getStatus()).as(done.getError()).isEqualTo(JobStatus.SUCCEEDED);
        JsonNode progress = JSON.readTree(done.getProgress());
        List<Double> losses = new ArrayList<>();
        progress.get("history").forEach(point -> losses.add(point.get("loss").asDouble()));
        assertThat(losses).hasSizeGreaterThanOrEqualTo(10);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.6);
        JsonNode validated = progress.get("history").get(losses.size() - 1).get("metrics");
        assertThat(validated.has("valid_loss")).isTrue();
        assertThat(validated.has("valid_recall@10")).isTrue();
        assertThat(validated.has("valid_item_count_correct")).isTrue();
        assertThat(validated.get("valid_repeat_rate").asDouble()).isBetween(0.0, 9.0);

        JsonNode result = progress.get("result");
        RegisteredModel model = registry.get(result.get("model_id").asLong());
        assertThat(model.kind()).isEqualTo(ModelKind.SFT);
        assertThat(model.status()).isEqualTo(ModelStatus.READY);
        assertThat(model.dataset()).isEqualTo(AlignmentFixture.DATASET);
        assertThat(model.instructionSetId()).isEqualTo(set.id());
        assertThat(model.jobId()).isEqualTo(job.getId());
        assertThat(model.parentId()).isNull();
        assertThat(model.metrics()).containsKeys("valid_recall@10", "valid_loss", "best_step", "teacher_valid_recall@10");
        assertThat(result.get("steps").asInt()).isEqualTo(300);
        assertThat(result.get("valid_loss").asDouble()).isEqualTo(((Number) model.metrics().get("valid_loss")).doubleValue());

        CatalogSnapshot snapshot = catalog.snapshot(AlignmentFixture.DATASET);
        Set<String> titles = Set.copyOf(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList());
        LabelledExample seqRec = sets.examples(set.id(), Split.VALID, TaskFamily.SEQ_REC, 1).get(0);
        try (LoadedModel loaded = registry.load(model.id())) {
            InstructionCodec codec = InstructionCodec.of(loaded);
            int[] generated = new Generator(loaded.model()).generate(codec.prompt(seqRec.prompt()), codec.greedy(80)).tokens();
            String answer = codec.text(generated);
            List<String> lines = answer.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            assertThat(lines).as(answer).isNotEmpty();
            // as evaluation reads it: the first N = 10 lines
            for (int i = 0; i < Math.min(10, lines.size()); i++) {
                Matcher matcher = LINE.matcher(lines.get(i));
                assertThat(matcher.matches()).as("line %d of %s", i + 1, answer).isTrue();
                assertThat(matcher.group(1).replace(" ", "")).as(answer).isEqualTo(Integer.toString(i + 1));
                assertThat(titles).as(answer).contains(matcher.group(2));
            }
        }
    }

    @Test
    void aRunCancelledThroughTheAdminApiLeavesACancelledModelWithoutFiles() {
        long id = api.submit(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET,
                "params", AlignmentFixture.tinyRun(5000, 1000, 1000)));
        Job cancelled = api.cancelAfter(id, 3);

        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        AdminJobs.cancelledModel(registry, id, properties.home());
    }

    @Test
    void aContinuedModelTrainsOnTheSetItsParentWasTrainedOnNotTheDatasetsLatest() {
        Job first = api.awaitFinal(jobs.submit(JobRequest.of(SftJobHandler.TYPE, AlignmentFixture.DATASET,
                AlignmentFixture.tinyRun(6, 6, 6))).getId());
        assertThat(first.getStatus()).as(first.getError()).isEqualTo(JobStatus.SUCCEEDED);
        long parent = JSON.readTree(first.getProgress()).get("result").get("model_id").asLong();
        // the same examples under a new id, so the other tests' latest set keeps its content
        InstructionSet newer = sets.build(AlignmentFixture.DATASET, AlignmentFixture.SEED, AlignmentFixture.PLAN);
        assertThat(sets.latest(AlignmentFixture.DATASET)).map(InstructionSet::id).contains(newer.id());

        Map<String, Object> params = new LinkedHashMap<>(AlignmentFixture.tinyRun(6, 6, 6));
        params.remove("instructionSet");
        params.remove("model"); // the shape of a new model: the continued one has its parent's
        Job continued = api.awaitFinal(api.submit(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET,
                "fromModel", Long.toString(parent), "params", params)));

        assertThat(continued.getStatus()).as(continued.getError()).isEqualTo(JobStatus.SUCCEEDED);
        RegisteredModel child = registry.get(JSON.readTree(continued.getProgress()).get("result").get("model_id").asLong());
        assertThat(child.parentId()).isEqualTo(parent);
        assertThat(child.instructionSetId()).isEqualTo(set.id()).isNotEqualTo(newer.id());
    }

    @Test
    void badSubmissionsAreRefusedBeforeAnythingIsQueued() {
        long before = jobs.recent(null, SftJobHandler.TYPE, 1000).size();

        api.expectProblem(Map.of("type", "sft"), 400, "a job of type 'sft' needs a dataset");
        api.expectProblem(Map.of("type", "sft", "dataset", "no-such-dataset"), 404, "no-such-dataset");
        api.expectProblem(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET, "params", Map.of("batchSize", 0)),
                400, "batchSize must be at least 1");
        api.expectProblem(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET, "params", Map.of("stepz", 3)),
                400, "unknown parameter 'stepz'");
        api.expectProblem(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET, "params", Map.of("unlikelihood", -1)),
                400, "unlikelihood must lie in [0, 10]");
        api.expectProblem(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET, "baseModel", "/no/such/model"),
                400, "baseModel /no/such/model is not a directory");
        api.expectProblem(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET, "fromModel", "999999"),
                404, "no model 999999");
        api.expectProblem(Map.of("type", "sft", "dataset", AlignmentFixture.DATASET, "params",
                Map.of("counts", Map.of("train", Map.of("seqrek", 5)))), 400, "unknown task 'seqrek'");

        assertThat(jobs.recent(null, SftJobHandler.TYPE, 1000)).hasSize((int) before);
    }

    @Test
    void aRunStoppedByAShutdownResumesFromItsCheckpointAndEndsWhereAnUninterruptedRunEnds() {
        Map<String, Object> params = new LinkedHashMap<>(AlignmentFixture.tinyRun(40, 20, 7));
        // unlikelihood targets, of the labelled answers and of the model's own, are rebuilt on resume as they were;
        // the categories' start shapes only the fresh model, which a resumed run reads back from its checkpoint;
        // the ruled-out sets of +C and -C answers are rebuilt like the unlikelihood targets
        params.put("unlikelihood", 1.0);
        params.put("controlUnlikelihood", 1.0);
        params.put("sequenceUnlikelihood", 1.0);
        params.put("sequenceEvery", 3);
        params.put("categoryInit", true);
        Job interrupted = jobs.submit(JobRequest.of(SftJobHandler.TYPE, AlignmentFixture.DATASET, params));
        api.interruptAfter(context, interrupted.getId(), 12);
        Job resumed = api.awaitFinal(interrupted.getId());
        Job straight = api.awaitFinal(jobs.submit(JobRequest.of(SftJobHandler.TYPE, AlignmentFixture.DATASET, params)).getId());

        assertThat(resumed.getStatus()).as(resumed.getError()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(straight.getStatus()).as(straight.getError()).isEqualTo(JobStatus.SUCCEEDED);
        JsonNode resumedProgress = JSON.readTree(resumed.getProgress());
        JsonNode resumedResult = resumedProgress.get("result");
        JsonNode straightResult = JSON.readTree(straight.getProgress()).get("result");
        assertThat(resumedProgress.get("resumes").asInt()).isEqualTo(1);
        List<Double> ownAnswers = new ArrayList<>();
        resumedProgress.get("history").forEach(point -> {
            if (point.path("metrics").has("sequence_unlikelihood")) {
                ownAnswers.add(point.get("metrics").get("sequence_unlikelihood").asDouble());
            }
        });
        assertThat(ownAnswers).as("steps 15 and 30 are logged and add the own answers' term").isNotEmpty()
                .allSatisfy(value -> assertThat(value).isPositive());
        assertThat(resumedResult.get("resumed_from_step").asInt()).isGreaterThanOrEqualTo(12).isLessThan(40);
        assertThat(straightResult.get("resumed_from_step").isNull()).isTrue();
        // same batches, same optimizer moments and step: the resumed run retraces the uninterrupted one
        assertThat(resumedResult.get("valid_loss").asDouble())
                .isCloseTo(straightResult.get("valid_loss").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(resumedResult.get("train_loss").asDouble())
                .isCloseTo(straightResult.get("train_loss").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        RegisteredModel model = registry.get(resumedResult.get("model_id").asLong());
        assertThat(model.status()).isEqualTo(ModelStatus.READY);
        assertThat(registry.list(java.util.Optional.of(AlignmentFixture.DATASET)).stream()
                .filter(candidate -> Long.valueOf(interrupted.getId()).equals(candidate.jobId()))).hasSize(1);
    }
}
