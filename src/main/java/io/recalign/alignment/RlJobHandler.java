package io.recalign.alignment;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.AdamW;
import io.recalign.llm.Checkpoints;
import io.recalign.llm.LanguageModelTrainer;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import io.recalign.system.BadRequestException;
import io.recalign.system.JobContext;
import io.recalign.system.JobHandler;
import io.recalign.system.JobProgress;
import io.recalign.system.JobRequest;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.RlPrompt;
import io.recalign.tasks.RlPromptSampler;
import io.recalign.tasks.Split;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TeacherService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job type {@code rl}: aligns a registered (SFT) model of a dataset with PPO or GRPO against the
 * teacher-based reward (method §5). The starting model is both the initial policy and the frozen
 * reference of the KL penalty. The result is registered as an RL model whose parent is the starting
 * model: TRAINING while it runs, READY with the weights of the best validation (the start counts, so an
 * RL run that never beats its starting point says so with {@code best_step} 0), FAILED or CANCELLED
 * without files otherwise. Resumable: a run interrupted by a stop continues from its last checkpoint
 * (policy, value head, optimizer, step).
 */
@Component
class RlJobHandler implements JobHandler {

    static final String TYPE = "rl";
    /** Answer lines the default budget allows: N is at most 10, and two more show an over-long list. */
    static final int ANSWER_LINES = 12;
    private static final Logger log = LoggerFactory.getLogger(RlJobHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKENIZER = "tokenizer.json";

    private final CatalogService catalog;
    private final TeacherService teachers;
    private final ModelRegistry registry;

    RlJobHandler(CatalogService catalog, TeacherService teachers, ModelRegistry registry) {
        this.catalog = catalog;
        this.teachers = teachers;
        this.registry = registry;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public Object validate(JobRequest request) {
        String dataset = request.requireDataset();
        catalog.dataset(dataset);
        RlParams params = request.params(RlParams.class).withDefaults();
        if (params.fromModel() == null) {
            throw new BadRequestException("an rl job needs fromModel, the registered SFT model to align");
        }
        registry.requireReady(params.fromModel(), dataset, "fromModel");
        teachers.activeRecord(dataset);  // the reward ranks with the teacher
        return params;
    }

    @Override
    public void run(JobContext context) throws IOException {
        RlParams params = context.params(RlParams.class);
        String dataset = context.dataset();
        CatalogSnapshot snapshot = catalog.snapshot(dataset);
        Teacher teacher = teachers.require(dataset);
        RegisteredModel from = registry.get(params.fromModel());
        Path source = registry.verifiedDirectory(from);
        Optional<RegisteredModel> resumed = context.resuming() ? registry.training(context.jobId()) : Optional.empty();
        Path tokenizerJson = context.checkpointDirectory().resolve(TOKENIZER);
        Files.copy(source.resolve(Checkpoints.TOKENIZER), tokenizerJson, StandardCopyOption.REPLACE_EXISTING);
        SftCheckpoints checkpoints = new SftCheckpoints(context.checkpointDirectory(), tokenizerJson);
        Optional<Path> resumePoint = resumed.isPresent() ? checkpoints.resumePoint() : Optional.empty();
        int engineThreads = JniUtils.getNumThreads();
        if (params.threads() != null) {
            JniUtils.setNumThreads(params.threads());
        }
        context.progress(new JobProgress("preparing", "step", 0, params.steps(), null, null, null, null));
        try (NDManager root = NDManager.newBaseManager();
             TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson);
             LlamaModel reference = Checkpoints.load(source, root);
             LlamaModel policy = Checkpoints.load(resumePoint.orElse(source), root);
             ValueHead valueHead = params.grpo() ? null : resumePoint
                     .map(point -> ValueHead.load(point, policy.config().hiddenSize(), root))
                     .orElseGet(() -> ValueHead.create(policy.config().hiddenSize(), root));
             AdamW optimizer = RlStep.optimizer(policy, valueHead, root, params)) {
            root.setName("rl-job-" + context.jobId());
            RlTrainer.State start = resumePoint.map(point -> {
                optimizer.restore(point);
                RlTrainer.State saved = checkpoints.readState(point, RlTrainer.State.class);
                log.info("RL job {} resumes at step {} of {}", context.jobId(), saved.step(), params.steps());
                return saved;
            }).orElseGet(RlTrainer.State::begin);
            RegisteredModel registered = resumed.orElseGet(() -> registry.register(new ModelRegistry.NewModel(
                    ModelKind.RL, from.id(), dataset, from.instructionSetId(), config(policy, params, from), context.jobId())));
            registry.whileTraining(registered, context, () -> {
                InstructionCodec codec = new InstructionCodec(tokenizer, policy.config());
                int budget = params.maxNewTokens() != null ? params.maxNewTokens() : answerBudget(tokenizer, snapshot);
                Reward reward = new Reward(snapshot, teacher, params.penaliseShortfall());
                RlStep step = new RlStep(policy, reference, valueHead, codec, reward, params,
                        new LanguageModelTrainer(policy, optimizer), root, budget);
                RlPromptSampler sampler = new RlPromptSampler(snapshot, teacher);
                List<RlPrompt> valid = sampler.sample(params.validPrompts(), RlTrainer.seed(params, -1, 3),
                        Split.VALID, params.taskFamilies());
                RlTrainer trainer = new RlTrainer(step, sampler, valid, params, policy, valueHead, optimizer, checkpoints);
                RlTrainer.Outcome outcome = trainer.train(context, start);
                finish(context, params, registered, checkpoints, outcome, resumePoint.isPresent() ? start.step() : null);
            });
        } finally {
            JniUtils.setNumThreads(engineThreads);
        }
    }

    private void finish(JobContext context, RlParams params, RegisteredModel registered, SftCheckpoints checkpoints,
                        RlTrainer.Outcome outcome, Integer resumedFrom) {
        RlTrainer.State state = outcome.state();
        RlEvaluation best = outcome.best();
        Map<String, Object> metrics = new LinkedHashMap<>(best.metrics());
        metrics.put("best_step", best.step());
        metrics.put("valid_start_reward", state.start().reward());
        metrics.put("steps", state.step());
        metrics.put("mean_reward", state.meanReward());
        metrics.put("kl", state.meanKl());
        metrics.put("seconds", state.seconds());
        metrics.put("tokens", state.tokens());
        metrics.put("algorithm", params.algorithm());
        RegisteredModel ready = registry.finish(registered.id(), checkpoints.best(), metrics);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model_id", ready.id());
        result.put("steps", state.step());
        result.put("mean_reward", state.meanReward());
        result.put("kl", state.meanKl());
        result.put("seconds", state.seconds());
        result.put("valid", best.metrics());
        result.put("valid_start", state.start().metrics());
        result.put("valid_last", outcome.last().metrics());
        result.put("best_step", best.step());
        result.put("algorithm", params.algorithm());
        result.put("parent_id", registered.parentId());
        result.put("resumed_from_step", resumedFrom);
        context.result(result);
    }

    /** Enough tokens for {@value #ANSWER_LINES} numbered lines of the catalog's longest title (in tokens). */
    static int answerBudget(TextTokenizer tokenizer, CatalogSnapshot snapshot) {
        String longest = null;
        int longestTokens = -1;
        for (CatalogSnapshot.Item item : snapshot.items()) {
            int tokens = tokenizer.encode(item.title()).length;
            if (tokens > longestTokens) {
                longest = item.title();
                longestTokens = tokens;
            }
        }
        if (longest == null) {
            throw new IllegalArgumentException("the catalog of " + snapshot.dataset() + " has no items");
        }
        return tokenizer.encode(AnswerFormat.format(Collections.nCopies(ANSWER_LINES, longest))).length + 1;
    }

    private static Map<String, Object> config(LlamaModel model, RlParams params, RegisteredModel from) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", JSON.treeToValue(model.config().toJson(), Map.class));
        config.put("parameters", model.parameterCount());
        config.put("training", JSON.convertValue(params, Map.class));
        config.put("fromModel", from.id());
        return config;
    }
}
