package io.recalign.evaluation;

import io.recalign.alignment.LoadedModel;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.system.BadRequestException;
import io.recalign.system.ConflictException;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TeacherRecord;
import io.recalign.teacher.TeacherService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Evaluates the teacher or a registered model on a dataset's test tasks and stores the results. Runs on
 * the calling thread, which for a model is the process's training thread (a job).
 */
@Service
public class EvaluationService {

    public static final String TEACHER = "teacher";
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_BATCH_SIZE = 16;
    static final int MAX_BATCH_SIZE = 1024;

    /**
     * What to evaluate.
     *
     * @param model     {@code teacher} or a registry model id
     * @param decoding  {@code free} or {@code guided} for a model; null means free (a model) or the
     *                  teacher's top-K
     * @param users     how many test users to sample, or null for all
     * @param seed      draws the user sample and the ItemCount N of each user
     * @param batchSize prompts per generation batch (language models)
     */
    public record Request(String dataset, String model, String decoding, Integer users, long seed, int batchSize) {
    }

    /** A request after its checks: the model resolved and the decoding decided. */
    public record Resolved(Request request, RegisteredModel model, Decoding decoding) {
        public boolean teacher() {
            return model == null;
        }
    }

    private final CatalogService catalog;
    private final TeacherService teachers;
    private final ModelRegistry models;
    private final EvaluationStore store;

    EvaluationService(CatalogService catalog, TeacherService teachers, ModelRegistry models, EvaluationStore store) {
        this.catalog = catalog;
        this.teachers = teachers;
        this.models = models;
        this.store = store;
    }

    /**
     * Checks a request before anything runs: the dataset and its teacher exist, the model is READY and
     * belongs to the dataset (or to none, a base model), the decoding and sizes make sense.
     */
    public Resolved check(Request request) {
        if (request.dataset() == null || request.dataset().isBlank()) {
            throw new BadRequestException("an evaluation needs a dataset");
        }
        catalog.dataset(request.dataset());
        teachers.activeRecord(request.dataset());
        if (request.users() != null && request.users() < 1) {
            throw new BadRequestException("users must be at least 1, was " + request.users());
        }
        if (request.batchSize() < 1 || request.batchSize() > MAX_BATCH_SIZE) {
            throw new BadRequestException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + request.batchSize());
        }
        String model = request.model() == null ? "" : request.model().strip().toLowerCase(Locale.ROOT);
        if (model.equals(TEACHER)) {
            if (request.decoding() != null && !request.decoding().isBlank()) {
                throw new BadRequestException("the teacher answers with its constrained top-K; decoding applies to"
                        + " registry models only");
            }
            return new Resolved(request, null, Decoding.TOP_K);
        }
        RegisteredModel registered = models.get(modelId(request.model()));
        if (registered.status() != ModelStatus.READY) {
            throw new ConflictException("model " + registered.id() + " is " + registered.status()
                    + "; only READY models can be evaluated");
        }
        if (registered.dataset() != null && !registered.dataset().equals(request.dataset())) {
            throw new BadRequestException("model " + registered.id() + " was trained for dataset '"
                    + registered.dataset() + "', not '" + request.dataset() + "'");
        }
        return new Resolved(request, registered, decoding(request.decoding()));
    }

    /** Runs a checked request and stores its results. */
    public StoredEvaluation evaluate(Resolved resolved, Long jobId, Evaluator.Progress progress) {
        Request request = resolved.request();
        long started = System.nanoTime();
        CatalogSnapshot snapshot = catalog.snapshot(request.dataset());
        TeacherRecord teacherRecord = teachers.activeRecord(request.dataset());
        Teacher teacher = teachers.require(request.dataset());
        Evaluator evaluator = new Evaluator(snapshot, teacher);
        EvaluationOutcome outcome;
        if (resolved.teacher()) {
            outcome = evaluator.evaluate(evaluator.teacherAnswerer(teacher), request.users(), request.seed(), progress);
        } else {
            try (LoadedModel loaded = models.load(resolved.model().id())) {
                Answerer answerer = new ModelAnswerer(loaded.model(), loaded.tokenizer(), snapshot, resolved.decoding(),
                        request.batchSize());
                outcome = evaluator.evaluate(answerer, request.users(), request.seed(), progress);
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("usersRequested", request.users());
        settings.put("seed", request.seed());
        settings.put("batchSize", resolved.teacher() ? TeacherAnswerer.BATCH : request.batchSize());
        settings.put("seconds", Math.round((System.nanoTime() - started) / 1e6) / 1e3);
        RegisteredModel model = resolved.model();
        return store.save(new EvaluationStore.NewEvaluation(request.dataset(),
                resolved.teacher() ? TEACHER : Long.toString(model.id()), resolved.teacher() ? null : model.id(),
                resolved.teacher() ? "TEACHER" : model.kind().name(), teacherRecord.id(), resolved.decoding(),
                settings, jobId, outcome));
    }

    public StoredEvaluation get(long id) {
        return store.get(id);
    }

    /** A dataset's evaluations (every dataset's when null), newest first. */
    public List<StoredEvaluation> list(String dataset) {
        if (dataset != null) {
            catalog.dataset(dataset);
        }
        return store.list(dataset);
    }

    private static long modelId(String model) {
        try {
            long id = Long.parseLong(model == null ? "" : model.strip());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestException("model must be 'teacher' or a registry model id, was '" + model + "'");
    }

    private static Decoding decoding(String label) {
        if (label == null || label.isBlank()) {
            return Decoding.FREE;
        }
        try {
            Decoding decoding = Decoding.ofLabel(label);
            if (decoding == Decoding.TOP_K) {
                throw new IllegalArgumentException("decoding must be 'free' or 'guided', was '" + label + "'");
            }
            return decoding;
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
