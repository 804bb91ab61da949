package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.CommandLineRun;
import io.recalign.IntegrationTest;
import io.recalign.catalog.CatalogService;
import io.recalign.system.Job;
import io.recalign.system.JobRequest;
import io.recalign.system.JobService;
import io.recalign.system.JobStatus;
import io.recalign.system.RecalignProperties;
import io.recalign.teacher.TeacherService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * RL as a job on the embedded database, from a tiny SFT model of the alignment fixture: a PPO run through
 * the job API and a GRPO run through the command line, cancel, bad submissions, and resume after a stop.
 */
@IntegrationTest
class RlJobTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Long sftModel;

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

    private AdminJobs api;

    /** A tiny SFT model of the fixture dataset, trained once for all tests of the class. */
    @BeforeEach
    void sftModel() {
        api = new AdminJobs(jobs, http);
        if (sftModel == null) {
            AlignmentFixture.instructionSet(catalog, teachers, sets);
            Job sft = api.awaitFinal(jobs.submit(JobRequest.of(SftJobHandler.TYPE, AlignmentFixture.DATASET,
                    AlignmentFixture.tinyRun(60, 60, 60))).getId());
            assertThat(sft.getStatus()).as(sft.getError()).isEqualTo(JobStatus.SUCCEEDED);
            sftModel = JSON.readTree(sft.getProgress()).get("result").get("model_id").asLong();
        }
    }

    /** A few tiny RL steps. */
    private static Map<String, Object> tinyRl(String algorithm, int steps, int evalEvery, int checkpointEvery) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("fromModel", sftModel);
        params.put("algorithm", algorithm);
        params.put("steps", steps);
        params.put("prompts", 4);
        params.put("miniBatch", 4);
        params.put("epochs", 2);
        params.put("lr", 1e-3);
        params.put("maxNewTokens", 40);
        params.put("validPrompts", 8);
        params.put("evalEvery", evalEvery);
        params.put("checkpointEvery", checkpointEvery);
        params.put("threads", 1);
        return params;
    }

    @Test
    void ppoRunLogsItsFiguresAndRegistersAnRlModelUnderItsParent() {
        Job job = jobs.submit(JobRequest.of(RlJobHandler.TYPE, AlignmentFixture.DATASET, tinyRl("ppo", 4, 2, 2)));
        Job done = api.awaitFinal(job.getId());

        assertThat(done.getStatus()).as(done.getError()).isEqualTo(JobStatus.SUCCEEDED);
        JsonNode progress = JSON.readTree(done.getProgress());
        JsonNode history = progress.get("history");
        // the starting validation, then one point per step
        assertThat(history).hasSize(5);
        assertThat(history.get(0).get("metrics").has("valid_reward")).isTrue();
        JsonNode stepFigures = history.get(1).get("metrics");
        for (String figure : List.of("reward", "kl", "entropy", "clip_fraction", "approx_kl", "value_loss", "updates")) {
            assertThat(stepFigures.has(figure)).as(figure).isTrue();
        }
        assertThat(stepFigures.properties().stream().map(Map.Entry::getKey).filter(name -> name.startsWith("reward_")))
                .isNotEmpty();
        assertThat(stepFigures.get("entropy").asDouble()).isPositive();
        assertThat(history.get(2).get("metrics").has("valid_reward")).as("validated at step 2").isTrue();

        JsonNode result = progress.get("result");
        RegisteredModel model = registry.get(result.get("model_id").asLong());
        assertThat(model.kind()).isEqualTo(ModelKind.RL);
        assertThat(model.status()).isEqualTo(ModelStatus.READY);
        assertThat(model.parentId()).isEqualTo(sftModel);
        assertThat(model.dataset()).isEqualTo(AlignmentFixture.DATASET);
        assertThat(model.jobId()).isEqualTo(job.getId());
        assertThat(model.metrics()).containsKeys("valid_reward", "valid_start_reward", "best_step", "mean_reward", "kl");
        assertThat(result.get("steps").asInt()).isEqualTo(4);
        assertThat(result.get("valid").get("valid_reward").asDouble())
                .isGreaterThanOrEqualTo(result.get("valid_start").get("valid_reward").asDouble());
        try (LoadedModel loaded = registry.load(model.id())) {
            assertThat(loaded.model().config().hiddenSize()).isEqualTo(AlignmentFixture.TINY.hiddenSize());
        }
    }

    @Test
    void grpoRunThroughTheCommandLinePrintsItsResultLast() {
        CommandLineRun run = CommandLineRun.of("rl", "--dataset", AlignmentFixture.DATASET, "--from", Long.toString(sftModel),
                "--algorithm", "grpo", "--steps", "2", "--prompts", "2", "--lr", "1e-3", "--threads", "1", "--json");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.linesFrom("registered model ");
        JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(result.propertyNames()).containsExactly("model_id", "steps", "mean_reward", "kl", "seconds", "valid");
        assertThat(result.get("steps").asInt()).isEqualTo(2);
        assertThat(result.get("valid").has("valid_reward")).isTrue();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("registered model ").contains("(RL grpo from model"));
        RegisteredModel model = registry.get(result.get("model_id").asLong());
        assertThat(model.kind()).isEqualTo(ModelKind.RL);
        assertThat(model.parentId()).isEqualTo(sftModel);
        assertThat(model.config().get("training")).asString().contains("grpo");
    }

    @Test
    void aRunCancelledThroughTheAdminApiLeavesACancelledModelWithoutFiles() {
        long id = api.submit(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET, "fromModel", sftModel.toString(),
                "params", without(tinyRl("ppo", 500, 100, 100), "fromModel")));
        Job cancelled = api.cancelAfter(id, 2);

        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(AdminJobs.cancelledModel(registry, id, properties.home()).kind()).isEqualTo(ModelKind.RL);
    }

    @Test
    void badSubmissionsAreRefusedBeforeAnythingIsQueued() {
        long before = jobs.recent(null, RlJobHandler.TYPE, 1000).size();

        api.expectProblem(Map.of("type", "rl", "fromModel", sftModel.toString()), 400, "a job of type 'rl' needs a dataset");
        api.expectProblem(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET), 400, "an rl job needs fromModel");
        api.expectProblem(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET, "fromModel", "999999"), 404,
                "no model 999999");
        api.expectProblem(Map.of("type", "rl", "dataset", "no-such-dataset", "fromModel", sftModel.toString()), 404,
                "no-such-dataset");
        api.expectProblem(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET, "fromModel", sftModel.toString(),
                "params", Map.of("algorithm", "dqn")), 400, "algorithm must be 'ppo' or 'grpo'");
        api.expectProblem(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET, "fromModel", sftModel.toString(),
                "params", Map.of("algorithm", "grpo", "samples", 1)), 400, "samples must be at least 2");
        api.expectProblem(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET, "fromModel", sftModel.toString(),
                "params", Map.of("decoupled", true)), 400, "it needs algorithm 'grpo'");
        api.expectProblem(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET, "fromModel", sftModel.toString(),
                "params", Map.of("tasks", List.of("category-query"))), 400, "not an RL task");
        api.expectProblem(Map.of("type", "rl", "dataset", AlignmentFixture.DATASET, "fromModel", sftModel.toString(),
                "params", Map.of("klcoef", 0.1)), 400, "unknown parameter 'klcoef'");

        assertThat(jobs.recent(null, RlJobHandler.TYPE, 1000)).hasSize((int) before);
    }

    @Test
    void aRunStoppedByAShutdownResumesFromItsCheckpointAndEndsWhereAnUninterruptedRunEnds() {
        // enough steps that the stop after step 3 lands mid-run even when tiny steps take milliseconds
        Map<String, Object> params = tinyRl("ppo", 24, 12, 2);
        Job interrupted = jobs.submit(JobRequest.of(RlJobHandler.TYPE, AlignmentFixture.DATASET, params));
        api.interruptAfter(context, interrupted.getId(), 3);
        Job resumed = api.awaitFinal(interrupted.getId());
        Job straight = api.awaitFinal(jobs.submit(JobRequest.of(RlJobHandler.TYPE, AlignmentFixture.DATASET, params)).getId());

        assertThat(resumed.getStatus()).as(resumed.getError()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(straight.getStatus()).as(straight.getError()).isEqualTo(JobStatus.SUCCEEDED);
        JsonNode resumedProgress = JSON.readTree(resumed.getProgress());
        JsonNode resumedResult = resumedProgress.get("result");
        JsonNode straightResult = JSON.readTree(straight.getProgress()).get("result");
        assertThat(resumedProgress.get("resumes").asInt()).isEqualTo(1);
        assertThat(resumedResult.get("resumed_from_step").asInt()).isGreaterThanOrEqualTo(2).isLessThan(24);
        // same prompts, samples, weights, value head and optimizer state: the resumed run retraces the other
        assertThat(resumedResult.get("valid_last").get("valid_reward").asDouble())
                .isCloseTo(straightResult.get("valid_last").get("valid_reward").asDouble(), Offset.offset(1e-4));
        assertThat(resumedResult.get("mean_reward").asDouble())
                .isCloseTo(straightResult.get("mean_reward").asDouble(), Offset.offset(1e-4));
        assertThat(registry.list(Optional.of(AlignmentFixture.DATASET)).stream()
                .filter(candidate -> Long.valueOf(interrupted.getId()).equals(candidate.jobId()))).hasSize(1);
    }

    private static Map<String, Object> without(Map<String, Object> params, String name) {
        Map<String, Object> copy = new LinkedHashMap<>(params);
        copy.remove(name);
        return copy;
    }
}
