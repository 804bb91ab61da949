package io.recalign.teacher;

import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.system.DatabaseFaults;
import io.recalign.system.NotFoundException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The teachers of the service: trains them on a dataset's snapshot, stores them in PostgreSQL (weights as
 * safetensors) and serves each dataset's active teacher, loaded on first use and cached.
 *
 * <p>Which teacher is active is read from the database on every {@link #active} call (one indexed look-up),
 * so a teacher trained by another process (a command, another replica) is picked up at the next call; while
 * the database is unreachable the loaded one keeps serving. A
 * replaced teacher stays open until the service closes, because callers may still hold it; activations
 * come one per training, so that is one model's memory per training. Thread-safe.
 */
@Service
public class TeacherService {

    private static final Duration UNAVAILABLE_BACKOFF = Duration.ofSeconds(5);

    private final StoredTeacherRepository teachers;
    private final CatalogService catalog;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
    private final List<SasRecTeacher> replaced = new ArrayList<>();
    /** Until then (System.nanoTime) a dataset with a loaded teacher skips the look-up: the database was unreachable. */
    private volatile long lookupAgainAfter = System.nanoTime();

    /** A dataset's active teacher as loaded, with its stored id. */
    private record Loaded(long id, SasRecTeacher teacher) {
    }

    TeacherService(StoredTeacherRepository teachers, CatalogService catalog, JdbcClient jdbc,
            PlatformTransactionManager transactionManager) {
        this.teachers = teachers;
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * The dataset's active teacher, or empty when it has none (or there is no such dataset). While the
     * database cannot be reached, the teacher this process last loaded for the dataset keeps answering.
     */
    public Optional<Teacher> active(String dataset) {
        Loaded cached = loaded.get(dataset);
        if (cached != null && System.nanoTime() - lookupAgainAfter < 0) {
            return Optional.of(cached.teacher());
        }
        Optional<Long> activeId;
        try {
            activeId = teachers.findActiveId(dataset);
        } catch (RuntimeException e) {
            if (cached == null || !DatabaseFaults.isUnavailable(e)) {
                throw e;
            }
            // each look-up waits for the pool's connection timeout: skip them for a while
            lookupAgainAfter = System.nanoTime() + UNAVAILABLE_BACKOFF.toNanos();
            return Optional.of(cached.teacher());
        }
        return activeId.map(id -> loadedTeacher(dataset, id));
    }

    /** The dataset's active teacher; a 404 problem that says how to train one when it has none. */
    public Teacher require(String dataset) {
        Optional<Teacher> teacher = active(dataset);
        if (teacher.isPresent()) {
            return teacher.get();
        }
        catalog.dataset(dataset);
        throw noTeacher(dataset);
    }

    /**
     * Trains a teacher on the dataset's snapshot, stores it and makes it the dataset's active teacher, all
     * or nothing: the new row becomes active in the transaction that retires the previous one, and nothing
     * is stored when training fails or is cancelled. Runs on the calling thread, which must be the
     * process's training thread.
     *
     * @param cancelled checked before every optimizer step; training then ends with a CancellationException
     * @param jobId     the job that trains it, or null
     */
    public TeacherRecord train(String dataset, SasRecConfig config, TrainingOptions options, TrainingProgress progress,
            BooleanSupplier cancelled, Long jobId) {
        CatalogSnapshot snapshot = catalog.snapshot(dataset);
        TrainedTeacher trained = new TeacherTrainer().train(snapshot, config, options, progress, cancelled);
        SasRecTeacher teacher = SasRecTeacher.of(snapshot, trained.model());
        try {
            TeacherRecord record = store(dataset, new TeacherConfig(config, options),
                    TeacherMetrics.of(trained.report()), trained.model().toSafetensors(), jobId);
            cache(dataset, new Loaded(record.id(), teacher));
            return record;
        } catch (RuntimeException e) {
            teacher.close();
            throw e;
        }
    }

    /** The dataset's stored teachers (all datasets when null), newest first. */
    public List<TeacherRecord> list(String dataset, int limit) {
        if (dataset != null) {
            catalog.dataset(dataset);
        }
        return teachers.findRows(dataset, Limit.of(limit)).stream().map(TeacherRecord::of).toList();
    }

    /** The stored teacher with this id, or a 404 problem. */
    public TeacherRecord get(long id) {
        return TeacherRecord.of(row(id));
    }

    /** The dataset's active teacher as stored, or a 404 problem that says how to train one. */
    public TeacherRecord activeRecord(String dataset) {
        catalog.dataset(dataset);
        return teachers.findActiveId(dataset).map(this::get).orElseThrow(() -> noTeacher(dataset));
    }

    /**
     * Evaluates a stored teacher (the dataset's active one when {@code teacherId} is null) with the method's
     * protocol, drawing the sampled negatives with the seed it was trained with.
     */
    public TeacherEvaluation evaluate(String dataset, Long teacherId) {
        TeacherRecord record = teacherId == null ? activeRecord(dataset) : get(teacherId);
        if (!record.dataset().equals(dataset)) {
            throw new NotFoundException("teacher " + record.id() + " belongs to dataset '" + record.dataset()
                    + "', not '" + dataset + "'");
        }
        CatalogSnapshot snapshot = catalog.snapshot(dataset);
        try (SasRecTeacher teacher = open(record.id())) {
            long started = System.nanoTime();
            TeacherEvaluator evaluator = new TeacherEvaluator(snapshot, record.config().training().seed());
            RankingMetrics valid = evaluator.validation(teacher.model()::scoreNext);
            RankingMetrics test = evaluator.test(teacher.model()::scoreNext);
            return new TeacherEvaluation(record.id(), dataset, valid, test, (System.nanoTime() - started) / 1e9);
        }
    }

    /** A stored teacher's model, freshly loaded; the caller closes it. */
    SasRecTeacher open(long id) {
        StoredTeacher stored = teachers.findById(id).orElseThrow(() -> missing(id));
        SasRecConfig config = TeacherJson.read(stored.config(), TeacherConfig.class).model();
        SasRecModel model = SasRecModel.fromSafetensors(config, stored.weights());
        try {
            return SasRecTeacher.of(catalog.snapshot(stored.dataset()), model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private TeacherRecord store(String dataset, TeacherConfig config, TeacherMetrics metrics, byte[] weights, Long jobId) {
        long id = transaction.execute(status -> {
            // the dataset row's lock orders concurrent activations for one dataset
            long datasetId = jdbc.sql("select id from datasets where name = ? for update").param(dataset)
                    .query(Long.class).optional()
                    .orElseThrow(() -> new NotFoundException("no dataset named '" + dataset + "'"));
            teachers.retireActive(datasetId);
            return teachers.saveAndFlush(new StoredTeacher(datasetId, dataset, TeacherJson.write(config),
                    TeacherJson.write(metrics), weights, jobId)).id();
        });
        return get(id);
    }

    private Teacher loadedTeacher(String dataset, long id) {
        Loaded cached = loaded.get(dataset);
        if (cached != null && cached.id() == id) {
            return cached.teacher();
        }
        synchronized (loaded) {
            cached = loaded.get(dataset);
            if (cached != null && cached.id() == id) {
                return cached.teacher();
            }
            SasRecTeacher teacher = open(id);
            cache(dataset, new Loaded(id, teacher));
            return teacher;
        }
    }

    private void cache(String dataset, Loaded teacher) {
        synchronized (loaded) {
            Loaded previous = loaded.put(dataset, teacher);
            if (previous != null) {
                replaced.add(previous.teacher());
            }
        }
    }

    private TeacherRow row(long id) {
        return teachers.findRow(id).orElseThrow(() -> missing(id));
    }

    private static NotFoundException missing(long id) {
        return new NotFoundException("no teacher " + id);
    }

    private static NotFoundException noTeacher(String dataset) {
        return new NotFoundException("dataset '" + dataset + "' has no trained teacher; run `teacher train --dataset "
                + dataset + "`");
    }

    @PreDestroy
    void close() {
        synchronized (loaded) {
            loaded.values().forEach(teacher -> teacher.teacher().close());
            loaded.clear();
            replaced.forEach(SasRecTeacher::close);
            replaced.clear();
        }
    }
}
