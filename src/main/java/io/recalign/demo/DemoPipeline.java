package io.recalign.demo;

import io.recalign.alignment.InstructionSet;
import io.recalign.alignment.InstructionSets;
import io.recalign.alignment.ModelKind;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.DatasetFormat;
import io.recalign.catalog.DatasetSummary;
import io.recalign.evaluation.EvaluationService;
import io.recalign.evaluation.StoredEvaluation;
import io.recalign.recommend.ModelActivation;
import io.recalign.system.Job;
import io.recalign.system.JobRequest;
import io.recalign.system.JobService;
import org.springframework.beans.factory.ObjectProvider;
import io.recalign.system.JobStatus;
import io.recalign.system.NotFoundException;
import io.recalign.teacher.TeacherRecord;
import io.recalign.teacher.TeacherService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Service;

/**
 * The demo pipeline over the existing services: reads where the demo dataset stands ({@link DemoState}),
 * describes each job stage as the job request the service queues (or {@code demo} runs in the
 * foreground), and does the quick steps itself: create the dataset, build the instruction set, activate
 * the RL model.
 */
@Service
class DemoPipeline {

    /** Most unfinished jobs looked at when checking what else works on the demo dataset. */
    private static final int UNFINISHED_LIMIT = 1000;
    private static final String FREE = "free";

    private final DemoSettings settings;
    private final CatalogService catalog;
    private final TeacherService teachers;
    private final InstructionSets instructionSets;
    private final ModelRegistry registry;
    private final EvaluationService evaluations;
    private final ModelActivation activation;
    /** Lazily: the job service needs every job handler, the demo step among them. */
    private final ObjectProvider<JobService> jobs;

    DemoPipeline(DemoSettings settings, CatalogService catalog, TeacherService teachers, InstructionSets instructionSets,
            ModelRegistry registry, EvaluationService evaluations, ModelActivation activation,
            ObjectProvider<JobService> jobs) {
        this.settings = settings;
        this.catalog = catalog;
        this.teachers = teachers;
        this.instructionSets = instructionSets;
        this.registry = registry;
        this.evaluations = evaluations;
        this.activation = activation;
        this.jobs = jobs;
    }

    DemoSettings settings() {
        return settings;
    }

    String dataset() {
        return settings.dataset();
    }

    /** Whether the database holds no dataset at all: a first start. */
    boolean databaseEmpty() {
        return catalog.datasets().isEmpty();
    }

    DemoState state() {
        String dataset = dataset();
        if (catalog.datasets().stream().map(DatasetSummary::name).noneMatch(dataset::equals)) {
            return DemoState.EMPTY;
        }
        Long teacherId = activeTeacher(dataset).map(TeacherRecord::id).orElse(null);
        Long instructionSetId = instructionSets.latest(dataset).map(InstructionSet::id).orElse(null);
        List<RegisteredModel> models = registry.list(Optional.of(dataset));
        Long sft = newestReady(models, ModelKind.SFT, null);
        Long rl = sft == null ? null : newestReady(models, ModelKind.RL, sft);
        List<StoredEvaluation> stored = teacherId == null ? List.of() : evaluations.list(dataset);
        Long active = models.stream().filter(RegisteredModel::active).map(RegisteredModel::id).findFirst().orElse(null);
        return new DemoState(true, teacherId, instructionSetId, sft, rl,
                stored.stream().anyMatch(run -> run.modelId() == null && teacherId.equals(run.teacherId())),
                evaluated(stored, sft), evaluated(stored, rl), active);
    }

    /** The job that runs a job stage, with the demo's sizes. */
    JobRequest request(DemoStage stage, DemoState state) {
        String dataset = dataset();
        return switch (stage) {
            case TEACHER -> JobRequest.of(stage.jobType(), dataset, settings.teacherParams());
            case SFT -> JobRequest.of(stage.jobType(), dataset, settings.sftParams(state.instructionSetId()));
            case RL -> JobRequest.of(stage.jobType(), dataset, settings.rlParams(state.sftModelId()));
            case EVALUATE_TEACHER -> JobRequest.of(stage.jobType(), dataset,
                    settings.evaluationParams(EvaluationService.TEACHER, true));
            case EVALUATE_SFT -> JobRequest.of(stage.jobType(), dataset,
                    settings.evaluationParams(Long.toString(state.sftModelId()), false));
            case EVALUATE_RL -> JobRequest.of(stage.jobType(), dataset,
                    settings.evaluationParams(Long.toString(state.rlModelId()), false));
            default -> throw new IllegalArgumentException("stage " + stage + " is not a job");
        };
    }

    /** Does a quick stage and says what it did. */
    String runStep(DemoStage stage, DemoState state) {
        String dataset = dataset();
        return switch (stage) {
            case DATASET -> {
                DatasetSummary created = settings.importFolder().map(folder -> importFolder(dataset, folder))
                        .orElseGet(() -> catalog.generateSynthetic(dataset, settings.synthetic()));
                yield "dataset " + created.name() + ": " + created.users() + " users, " + created.items() + " items, "
                        + created.interactions() + " interactions (" + created.source() + ")";
            }
            case INSTRUCTIONS -> {
                InstructionSet set = instructionSets.build(dataset, settings.seed(), settings.instructionPlan());
                yield "instruction set " + set.id() + ": " + set.total("train") + " training and "
                        + set.total("valid") + " validation examples";
            }
            case ACTIVATE -> "model " + activation.activate(state.rlModelId()).id() + " (RL) now serves dataset "
                    + dataset;
            default -> throw new IllegalArgumentException("stage " + stage + " runs as a job");
        };
    }

    /** The newest stored evaluation of the teacher, the SFT model and the RL model, those that exist. */
    List<StoredEvaluation> evaluations(DemoState state) {
        if (!state.datasetExists()) {
            return List.of();
        }
        List<StoredEvaluation> stored = evaluations.list(dataset());
        List<StoredEvaluation> newest = new ArrayList<>();
        stored.stream().filter(run -> run.modelId() == null && Objects.equals(run.teacherId(), state.teacherId()))
                .findFirst().ifPresent(newest::add);
        for (Long model : Stream.of(state.sftModelId(), state.rlModelId()).filter(Objects::nonNull).toList()) {
            stored.stream().filter(run -> model.equals(run.modelId()) && FREE.equals(run.decoding()))
                    .findFirst().ifPresent(newest::add);
        }
        return newest;
    }

    /** Queued and running jobs of the demo dataset, oldest first. */
    List<Job> unfinishedJobs() {
        List<Job> unfinished = new ArrayList<>();
        for (JobStatus status : List.of(JobStatus.RUNNING, JobStatus.QUEUED)) {
            jobs.getObject().recent(status, null, UNFINISHED_LIMIT).stream()
                    .filter(job -> dataset().equals(job.getDataset()))
                    .forEach(unfinished::add);
        }
        unfinished.sort((a, b) -> Long.compare(a.getId(), b.getId()));
        return unfinished;
    }

    private DatasetSummary importFolder(String dataset, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("the demo dataset folder " + folder
                    + " (RECALIGN_DEMO_DATASET, recalign.demo.dataset-dir) is not a directory");
        }
        return catalog.importFolder(dataset, format(folder), folder, CatalogService.DEFAULT_MIN_COUNT,
                folder.toAbsolutePath().normalize().toString());
    }

    /** {@code jsonl} when the folder holds {@code items.jsonl}, else the MovieLens layouts. */
    static DatasetFormat format(Path folder) {
        return Files.isRegularFile(folder.resolve("items.jsonl")) ? DatasetFormat.JSONL : DatasetFormat.MOVIELENS;
    }

    private Optional<TeacherRecord> activeTeacher(String dataset) {
        try {
            return Optional.of(teachers.activeRecord(dataset));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static Long newestReady(List<RegisteredModel> models, ModelKind kind, Long parentId) {
        return models.stream()
                .filter(model -> model.kind() == kind && model.status() == ModelStatus.READY)
                .filter(model -> parentId == null || parentId.equals(model.parentId()))
                .map(RegisteredModel::id).findFirst().orElse(null);
    }

    private static boolean evaluated(List<StoredEvaluation> stored, Long model) {
        return model != null
                && stored.stream().anyMatch(run -> model.equals(run.modelId()) && FREE.equals(run.decoding()));
    }
}
