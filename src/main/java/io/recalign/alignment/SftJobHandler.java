package io.recalign.alignment;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.Checkpoints;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import io.recalign.llm.TokenizerBuilder;
import io.recalign.system.BadRequestException;
import io.recalign.system.JobContext;
import io.recalign.system.JobHandler;
import io.recalign.system.JobProgress;
import io.recalign.system.JobRequest;
import io.recalign.tasks.LabelledExample;
import io.recalign.tasks.Split;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TeacherService;
import io.recalign.teacher.TopKQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job type {@code sft}: supervised fine-tuning on a dataset's instruction set (built first when the
 * dataset has none), from scratch with the catalog tokenizer and the default CPU config, or from a
 * Hugging Face checkpoint or a registered model. The model is registered as TRAINING when training
 * starts and becomes READY with the best validation's weights; a failed or cancelled run leaves it
 * FAILED or CANCELLED without files. Resumable: a run interrupted by a stop continues from its last
 * checkpoint, optimizer state included.
 */
@Component
class SftJobHandler implements JobHandler {

    static final String TYPE = "sft";
    private static final Logger log = LoggerFactory.getLogger(SftJobHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKENIZER = "tokenizer.json";

    private final CatalogService catalog;
    private final TeacherService teachers;
    private final InstructionSets instructionSets;
    private final ModelRegistry registry;

    SftJobHandler(CatalogService catalog, TeacherService teachers, InstructionSets instructionSets, ModelRegistry registry) {
        this.catalog = catalog;
        this.teachers = teachers;
        this.instructionSets = instructionSets;
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
        SftParams params = request.params(SftParams.class).withDefaults();
        if (params.baseModel() != null) {
            checkBaseModel(Path.of(params.baseModel()));
        }
        if (params.fromModel() != null) {
            registry.requireReady(params.fromModel(), dataset, "fromModel");
        }
        InstructionSets.plan(params.counts());
        if (params.instructionSet() != null) {
            InstructionSet set = instructionSets.get(params.instructionSet());
            if (!set.dataset().equals(dataset)) {
                throw new BadRequestException("instruction set " + set.id() + " belongs to dataset '" + set.dataset() + "'");
            }
        } else if (existingSet(params, dataset).isEmpty()) {
            teachers.activeRecord(dataset);  // the set to build needs the teacher
        }
        return params;
    }

    @Override
    public void run(JobContext context) throws IOException {
        SftParams params = context.params(SftParams.class);
        String dataset = context.dataset();
        CatalogSnapshot snapshot = catalog.snapshot(dataset);
        Optional<RegisteredModel> resumed = context.resuming() ? registry.training(context.jobId()) : Optional.empty();
        InstructionSet set = resumed.map(model -> instructionSets.get(model.instructionSetId()))
                .orElseGet(() -> instructionSet(context, params, dataset));
        Long parentId = resumed.map(RegisteredModel::parentId).orElseGet(() -> parent(params));
        Path checkpointRoot = context.checkpointDirectory();
        Path tokenizerJson = checkpointRoot.resolve(TOKENIZER);
        Optional<Path> resumePoint = resumed.isPresent() ? new SftCheckpoints(checkpointRoot, tokenizerJson).resumePoint()
                : Optional.empty();
        try (NDManager root = NDManager.newBaseManager()) {
            root.setName("sft-job-" + context.jobId());
            int engineThreads = JniUtils.getNumThreads();
            if (params.threads() != null) {
                JniUtils.setNumThreads(params.threads());
            }
            try {
                prepareAndTrain(context, params, snapshot, set, parentId, tokenizerJson, resumed, resumePoint, root);
            } finally {
                JniUtils.setNumThreads(engineThreads);
            }
        }
    }

    private void prepareAndTrain(JobContext context, SftParams params, CatalogSnapshot snapshot, InstructionSet set,
            Long parentId, Path tokenizerJson, Optional<RegisteredModel> resumed, Optional<Path> resumePoint,
            NDManager root) throws IOException {
        context.progress(new JobProgress("preparing", "step", 0, 0, null, null, null, null));
        LlamaModel model = resumePoint.isPresent()
                ? resumeModel(resumePoint.get(), tokenizerJson, root)
                : freshModel(params, set, snapshot, tokenizerJson, root);
        RegisteredModel registered = resumed.orElseGet(() -> registry.register(new ModelRegistry.NewModel(
                ModelKind.SFT, parentId, context.dataset(), set.id(), config(model, params, set), context.jobId())));
        try {
            registry.whileTraining(registered, context,
                    () -> train(context, params, snapshot, set, model, root, tokenizerJson, registered, resumePoint));
        } finally {
            model.close();
        }
    }

    private void train(JobContext context, SftParams params, CatalogSnapshot snapshot, InstructionSet set,
            LlamaModel model, NDManager root, Path tokenizerJson, RegisteredModel registered, Optional<Path> resumePoint) {
        int maxLength = params.maxLength() != null ? Math.min(params.maxLength(), model.config().maxPositionEmbeddings())
                : model.config().maxPositionEmbeddings();
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson)) {
            InstructionCodec codec = new InstructionCodec(tokenizer, model.config());
            UnlikelyTitles unlikely = params.unlikelihood() > 0 || params.sequenceUnlikelihood() > 0
                    || params.controlUnlikelihood() > 0
                    ? new UnlikelyTitles(tokenizer, snapshot) : null;
            List<EncodedExample> train = encode(codec, unlikely, instructionSets.examples(set.id(), Split.TRAIN, null, 0),
                    maxLength);
            List<LabelledExample> valid = instructionSets.examples(set.id(), Split.VALID, null, 0);
            SftValidation validation = new SftValidation(model, root, codec, snapshot, valid, params.validExamples(),
                    params.recallExamples(), params.batchSize(), maxLength);
            SftParams.SftSchedule schedule = params.schedule(train.size());
            SftCheckpoints checkpoints = new SftCheckpoints(context.checkpointDirectory(), tokenizerJson);
            SftCheckpoints.TrainerState state = resumePoint.map(checkpoints::readState)
                    .orElseGet(() -> SftCheckpoints.TrainerState.start(params.seed()));
            if (resumePoint.isPresent()) {
                log.info("SFT job {} resumes at step {} of {}", context.jobId(), state.step(), schedule.steps());
            }
            Double teacherRecall = teacherRecall(set.dataset(), valid, params.recallExamples());
            WrittenAnswers writtenAnswers = params.sequenceUnlikelihood() > 0 ? new WrittenAnswers(model, codec, unlikely) : null;
            SftTrainer trainer = new SftTrainer(model, root, train, validation, params, schedule, checkpoints, writtenAnswers);
            SftTrainer.Outcome outcome = trainer.train(context, state, resumePoint.orElse(null));

            Map<String, Object> metrics = new LinkedHashMap<>(outcome.best().metrics());
            metrics.put("best_step", outcome.best().step());
            metrics.put("steps", outcome.state().step());
            metrics.put("train_loss", outcome.trainLoss());
            metrics.put("train_examples", train.size());
            metrics.put("train_tokens", outcome.state().tokens());
            metrics.put("seconds", outcome.state().seconds());
            if (teacherRecall != null) {
                metrics.put("teacher_valid_recall@10", teacherRecall);
            }
            metrics.put("recall_examples", validation.recallExampleCount());
            RegisteredModel ready = registry.finish(registered.id(), checkpoints.best(), metrics);

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model_id", ready.id());
            result.put("steps", outcome.state().step());
            result.put("train_loss", outcome.trainLoss());
            result.put("valid_loss", outcome.best().validLoss());
            result.put("valid_recall@10", outcome.best().recallAt10());
            result.put("seconds", outcome.state().seconds());
            result.put("best_step", outcome.best().step());
            result.put("instruction_set_id", set.id());
            result.put("resumed_from_step", resumePoint.isPresent() ? state.step() : null);
            result.put("metrics", metrics);
            context.result(result);
        }
    }

    /** The set to train on: the one named, else an existing one, else a new one built now. */
    private InstructionSet instructionSet(JobContext context, SftParams params, String dataset) {
        if (params.instructionSet() != null) {
            return instructionSets.get(params.instructionSet());
        }
        return existingSet(params, dataset).orElseGet(() -> {
            context.progress(new JobProgress("building instructions", "step", 0, 0, null, null, null, null));
            return instructionSets.build(dataset, params.seed(), InstructionSets.plan(params.counts()));
        });
    }

    /**
     * Without a set named: none when counts ask for a new one; the set the model continued from was trained
     * on, so that a continued run goes on with the same examples; else the dataset's latest (none when it has
     * no set yet).
     */
    private Optional<InstructionSet> existingSet(SftParams params, String dataset) {
        if (!params.counts().isEmpty()) {
            return Optional.empty();
        }
        Long parentSet = params.fromModel() == null ? null : registry.get(params.fromModel()).instructionSetId();
        return parentSet != null ? Optional.of(instructionSets.get(parentSet)) : instructionSets.latest(dataset);
    }

    private Long parent(SftParams params) {
        if (params.fromModel() != null) {
            return params.fromModel();
        }
        if (params.baseModel() != null) {
            Path directory = Path.of(params.baseModel());
            return registry.registerBase(directory, Map.of("source", directory.toAbsolutePath().toString(),
                    "model", JSON.treeToValue(LlamaConfig.read(directory.resolve(Checkpoints.CONFIG)).toJson(), Map.class))).id();
        }
        return null;
    }

    private LlamaModel freshModel(SftParams params, InstructionSet set, CatalogSnapshot snapshot, Path tokenizerJson,
            NDManager root) throws IOException {
        Path source;
        if (params.fromModel() != null) {
            source = registry.verifiedDirectory(registry.get(params.fromModel()));
        } else if (params.baseModel() != null) {
            source = Path.of(params.baseModel());
        } else {
            TokenizerBuilder.BuiltTokenizer built = catalogTokenizer(set, snapshot);
            built.write(tokenizerJson);
            Map<Integer, int[]> parts = params.categoryInit() ? titleCategories(built, snapshot) : Map.of();
            return LlamaModel.create(params.scratchConfig(built.vocabSize()), root, params.seed(), parts);
        }
        Files.copy(source.resolve(Checkpoints.TOKENIZER), tokenizerJson, StandardCopyOption.REPLACE_EXISTING);
        return Checkpoints.load(source, root);
    }

    private static LlamaModel resumeModel(Path point, Path tokenizerJson, NDManager root) throws IOException {
        Files.copy(point.resolve(Checkpoints.TOKENIZER), tokenizerJson, StandardCopyOption.REPLACE_EXISTING);
        return Checkpoints.load(point, root);
    }

    /** Word-level vocabulary of the set's texts, one token per title and per category. */
    private TokenizerBuilder.BuiltTokenizer catalogTokenizer(InstructionSet set, CatalogSnapshot snapshot) {
        List<String> corpus = new ArrayList<>();
        for (LabelledExample example : instructionSets.examples(set.id(), null, null, 0)) {
            corpus.add(example.prompt());
            corpus.add(example.answer());
        }
        return new TokenizerBuilder()
                .corpus(corpus)
                .titles(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList())
                .categories(snapshot.categories())
                .build();
    }

    /** Each title token's parts: the tokens of the title's categories (a title without any has none). */
    static Map<Integer, int[]> titleCategories(TokenizerBuilder.BuiltTokenizer built, CatalogSnapshot snapshot) {
        Map<Integer, int[]> parts = new LinkedHashMap<>();
        for (CatalogSnapshot.Item item : snapshot.items()) {
            int[] categories = Arrays.stream(item.categories())
                    .map(category -> built.categoryIds().get(snapshot.categories().get(category)))
                    .toArray();
            if (categories.length > 0) {
                parts.putIfAbsent(built.titleIds().get(item.title()), categories);
            }
        }
        return parts;
    }

    /** The training sequences, with their unlikelihood targets when {@code unlikely} is given. */
    private static List<EncodedExample> encode(InstructionCodec codec, UnlikelyTitles unlikely,
            List<LabelledExample> examples, int maxLength) {
        List<EncodedExample> encoded = new ArrayList<>(examples.size());
        for (LabelledExample example : examples) {
            EncodedExample sequence = EncodedExample.of(codec, example.prompt(), example.answer());
            if (sequence.length() <= maxLength) {
                encoded.add(unlikely != null ? unlikely.apply(sequence, example.parameters()) : sequence);
            }
        }
        if (encoded.size() < examples.size()) {
            log.warn("{} of {} training examples are longer than {} tokens and are skipped",
                    examples.size() - encoded.size(), examples.size(), maxLength);
        }
        if (encoded.isEmpty()) {
            throw new IllegalStateException("no training example fits in " + maxLength + " tokens");
        }
        return encoded;
    }

    /** The teacher's own Recall@10 on the validation SeqRec prompts, for comparison; null without a teacher. */
    private Double teacherRecall(String dataset, List<LabelledExample> valid, int limit) {
        Optional<Teacher> teacher = teachers.active(dataset);
        if (teacher.isEmpty()) {
            return null;
        }
        List<LabelledExample> seqRec = valid.stream().filter(example -> example.task() == TaskFamily.SEQ_REC)
                .limit(limit).toList();
        List<TopKQuery> queries = seqRec.stream().map(example -> TopKQuery.of(
                example.parameters().history().stream().mapToInt(Integer::intValue).toArray(), 10)).toList();
        if (queries.isEmpty()) {
            return null;
        }
        List<int[]> answers = teacher.get().topK(queries);
        int hits = 0;
        for (int i = 0; i < seqRec.size(); i++) {
            int target = seqRec.get(i).parameters().target();
            hits += java.util.Arrays.stream(answers.get(i)).anyMatch(item -> item == target) ? 1 : 0;
        }
        return (double) hits / seqRec.size();
    }

    private static Map<String, Object> config(LlamaModel model, SftParams params, InstructionSet set) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", JSON.treeToValue(model.config().toJson(), Map.class));
        config.put("parameters", model.parameterCount());
        config.put("training", JSON.convertValue(params, Map.class));
        config.put("tokenizer", params.pretrained() ? "pretrained" : "catalog");
        config.put("instructionSet", set.id());
        return config;
    }

    private static void checkBaseModel(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new BadRequestException("baseModel " + directory + " is not a directory");
        }
        for (String file : List.of(Checkpoints.CONFIG, Checkpoints.TOKENIZER)) {
            if (!Files.isRegularFile(directory.resolve(file))) {
                throw new BadRequestException("baseModel " + directory + " lacks " + file);
            }
        }
        try (Stream<Path> files = Files.list(directory)) {
            if (files.noneMatch(file -> file.getFileName().toString().endsWith(".safetensors")
                    || file.getFileName().toString().endsWith(".safetensors.index.json"))) {
                throw new BadRequestException("baseModel " + directory + " holds no safetensors weights");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            LlamaConfig.read(directory.resolve(Checkpoints.CONFIG));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("baseModel " + directory + ": " + e.getMessage());
        }
    }
}
