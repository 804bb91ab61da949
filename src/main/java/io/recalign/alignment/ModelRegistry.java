package io.recalign.alignment;

import ai.djl.ndarray.NDManager;
import io.recalign.llm.Checkpoints;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import io.recalign.system.BadRequestException;
import io.recalign.system.ConflictException;
import io.recalign.system.JobContext;
import io.recalign.system.NotFoundException;
import io.recalign.system.RecalignProperties;
import jakarta.annotation.PreDestroy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry of language models and their store ({@code <recalign.home>/models/<id>/}). Trainers
 * {@link #register} a model when they start and {@link #finish} it with a complete checkpoint
 * directory (copied in, digested, then renamed into place) or {@link #abandon} it; serving
 * {@link #activate}s one READY model per dataset and {@link #load}s it after checking its digest.
 */
@Service
public class ModelRegistry {

    /** PostgreSQL channel told the dataset whose active model changed. */
    public static final String CHANNEL = "recalign_models";

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, kind, parent_id, dataset, instruction_set_id, path, sha256, status,"
            + " active, config, metrics, job_id, created_at";

    /**
     * What a trainer knows when it starts a model.
     *
     * @param config the model and training configuration, stored as JSON
     */
    public record NewModel(ModelKind kind, Long parentId, String dataset, Long instructionSetId,
                           Map<String, Object> config, Long jobId) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ModelStore store;
    private NDManager manager;

    ModelRegistry(JdbcClient jdbc, PlatformTransactionManager transactionManager, RecalignProperties properties) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.store = new ModelStore(properties.home());
    }

    /** Every model, or a dataset's, newest first. */
    public List<RegisteredModel> list(Optional<String> dataset) {
        return dataset.map(name -> jdbc.sql("select " + COLUMNS + " from models where dataset = ? order by id desc")
                        .param(name).query(ModelRegistry::row).list())
                .orElseGet(() -> jdbc.sql("select " + COLUMNS + " from models order by id desc")
                        .query(ModelRegistry::row).list());
    }

    public RegisteredModel get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("no model " + id));
    }

    /**
     * A model a job on {@code dataset} starts from: it must exist (404), be READY and have been trained for
     * that dataset (400, naming the parameter).
     */
    public RegisteredModel requireReady(long id, String dataset, String parameter) {
        RegisteredModel model = get(id);
        if (model.status() != ModelStatus.READY) {
            throw new BadRequestException(parameter + " " + model.id() + " is " + model.status() + ", not READY");
        }
        if (!dataset.equals(model.dataset())) {
            throw new BadRequestException(parameter + " " + model.id() + " was trained for "
                    + (model.dataset() == null ? "no dataset" : "dataset '" + model.dataset() + "'")
                    + ", not for '" + dataset + "'");
        }
        return model;
    }

    /** The model a dataset serves, if one was activated. */
    public Optional<RegisteredModel> active(String dataset) {
        return jdbc.sql("select " + COLUMNS + " from models where dataset = ? and active")
                .param(dataset).query(ModelRegistry::row).optional();
    }

    /**
     * Makes a READY model the one its dataset serves, in one transaction (the previous one stops being
     * active in the same commit), and notifies {@value #CHANNEL} with the dataset's name.
     */
    public RegisteredModel activate(long id) {
        return transaction.execute(status -> {
            RegisteredModel model = jdbc.sql("select " + COLUMNS + " from models where id = ? for update")
                    .param(id).query(ModelRegistry::row).optional()
                    .orElseThrow(() -> new NotFoundException("no model " + id));
            if (model.status() != ModelStatus.READY) {
                throw new ConflictException("model " + id + " is " + model.status() + "; only READY models can be activated");
            }
            if (model.dataset() == null) {
                throw new ConflictException("model " + id + " belongs to no dataset, so it cannot be served");
            }
            // lock the dataset's models so concurrent activations run one after the other
            jdbc.sql("select id from models where dataset = ? for update").param(model.dataset()).query(Long.class).list();
            jdbc.sql("update models set active = false where dataset = ? and active and id <> ?")
                    .params(model.dataset(), id).update();
            jdbc.sql("update models set active = true where id = ?").param(id).update();
            jdbc.sql("select pg_notify('" + CHANNEL + "', ?)").param(model.dataset()).query((rs, n) -> n).list();
            log.info("Model {} is now the active model of dataset {}", id, model.dataset());
            return get(id);
        });
    }

    /**
     * Loads a READY model after checking its files against the recorded digest.
     *
     * @throws CorruptModelException when the files changed since the model was stored
     */
    public LoadedModel load(long id) {
        RegisteredModel info = get(id);
        Path directory = verifiedDirectory(info);
        TextTokenizer tokenizer = TextTokenizer.load(directory);
        try {
            LlamaModel model = Checkpoints.load(directory, manager());
            return new LoadedModel(info, model, tokenizer);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The directory of a READY model after checking its files against the recorded digest, for callers
     * that load it into their own manager (trainers continuing from it).
     *
     * @throws CorruptModelException when the files changed since the model was stored
     */
    public Path verifiedDirectory(RegisteredModel info) {
        if (info.status() != ModelStatus.READY) {
            throw new ConflictException("model " + info.id() + " is " + info.status() + "; only READY models can be loaded");
        }
        Path directory = directory(info);
        if (!Files.isDirectory(directory)) {
            throw new CorruptModelException("the directory of model " + info.id() + " (" + info.path() + ") is missing");
        }
        String digest = ModelStore.digest(directory);
        if (!digest.equals(info.sha256())) {
            throw new CorruptModelException("model " + info.id() + " failed its integrity check: its files hash to "
                    + digest + ", the registry recorded " + info.sha256());
        }
        return directory;
    }

    /** The Hugging Face directory of a READY model. */
    public Path directory(RegisteredModel model) {
        if (model.path() == null) {
            throw new ConflictException("model " + model.id() + " is " + model.status() + " and has no files");
        }
        return store.resolve(model.path());
    }

    /** Records a model whose training starts now (status TRAINING, no files yet). */
    public RegisteredModel register(NewModel model) {
        long id = jdbc.sql("""
                        insert into models (kind, parent_id, dataset, instruction_set_id, status, config, job_id)
                        values (?, ?, ?, ?, 'TRAINING', cast(? as jsonb), ?) returning id""")
                .params(model.kind().name(), model.parentId(), model.dataset(), model.instructionSetId(),
                        json(model.config()), model.jobId())
                .query(Long.class).single();
        return get(id);
    }

    /** The TRAINING model a job registered, which a resumed run of that job carries on. */
    public Optional<RegisteredModel> training(long jobId) {
        return jdbc.sql("select " + COLUMNS + " from models where job_id = ? and status = 'TRAINING' order by id desc limit 1")
                .param(jobId).query(ModelRegistry::row).optional();
    }

    /**
     * Stores the files of a complete checkpoint directory as the model and marks it READY with its
     * digest and metrics. The files appear under {@code models/<id>/} only once all are written; if
     * anything fails, the model keeps no files.
     */
    public RegisteredModel finish(long id, Path checkpoint, Map<String, Object> metrics) {
        RegisteredModel model = get(id);
        if (model.status() != ModelStatus.TRAINING) {
            throw new ConflictException("model " + id + " is " + model.status() + ", not TRAINING");
        }
        String digest = store.install(id, checkpoint);
        try {
            int updated = jdbc.sql("""
                            update models set status = 'READY', path = ?, sha256 = ?, metrics = cast(? as jsonb),
                                   finished_at = now()
                            where id = ? and status = 'TRAINING'""")
                    .params(store.relativePath(id), digest, json(metrics), id).update();
            if (updated == 0) {
                throw new ConflictException("model " + id + " stopped being TRAINING while its files were stored");
            }
        } catch (RuntimeException e) {
            store.remove(id);
            throw e;
        }
        log.info("Model {} ({}) is READY: {} sha256 {}", id, model.kind(), store.relativePath(id), digest);
        return get(id);
    }

    /**
     * Runs the training of a TRAINING model for a job and settles the model when it does not finish: a
     * failure abandons it as FAILED, a cancel as CANCELLED; a stop for a shutdown leaves it TRAINING,
     * for the resumed job to carry on. The exception goes on to the job either way.
     */
    public void whileTraining(RegisteredModel model, JobContext context, Runnable training) {
        try {
            training.run();
        } catch (CancellationException e) {
            if (!context.isShuttingDown()) {
                abandon(model.id(), ModelStatus.CANCELLED);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            abandon(model.id(), ModelStatus.FAILED);
            throw e;
        }
    }

    /** Ends a TRAINING model as FAILED or CANCELLED and deletes any files it has. */
    public void abandon(long id, ModelStatus status) {
        if (status != ModelStatus.FAILED && status != ModelStatus.CANCELLED) {
            throw new IllegalArgumentException("a model is abandoned as FAILED or CANCELLED, not " + status);
        }
        jdbc.sql("update models set status = ?, finished_at = now() where id = ? and status = 'TRAINING'")
                .params(status.name(), id).update();
        store.remove(id);
    }

    /**
     * Registers a Hugging Face checkpoint directory as a BASE model, copying it into the store; a
     * directory whose files were registered before returns that model.
     */
    public RegisteredModel registerBase(Path directory, Map<String, Object> config) {
        String digest = ModelStore.digest(directory);
        Optional<RegisteredModel> known = jdbc.sql("select " + COLUMNS
                        + " from models where kind = 'BASE' and status = 'READY' and sha256 = ? order by id limit 1")
                .param(digest).query(ModelRegistry::row).optional();
        if (known.isPresent()) {
            return known.get();
        }
        RegisteredModel base = register(new NewModel(ModelKind.BASE, null, null, null, config, null));
        try {
            return finish(base.id(), directory, Map.of());
        } catch (RuntimeException e) {
            abandon(base.id(), ModelStatus.FAILED);
            throw e;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    private synchronized NDManager manager() {
        if (manager == null) {
            manager = NDManager.newBaseManager();
            manager.setName("registry-models");
        }
        return manager;
    }

    private Optional<RegisteredModel> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from models where id = ?").param(id).query(ModelRegistry::row).optional();
    }

    private static String json(Map<String, Object> values) {
        return JSON.writeValueAsString(values == null ? Map.of() : values);
    }

    private static RegisteredModel row(ResultSet rs, int n) throws SQLException {
        return new RegisteredModel(
                rs.getLong("id"),
                ModelKind.valueOf(rs.getString("kind")),
                (Long) rs.getObject("parent_id"),
                rs.getString("dataset"),
                (Long) rs.getObject("instruction_set_id"),
                rs.getString("path"),
                rs.getString("sha256"),
                ModelStatus.valueOf(rs.getString("status")),
                rs.getBoolean("active"),
                JSON.readValue(rs.getString("config"), MAP),
                JSON.readValue(rs.getString("metrics"), MAP),
                (Long) rs.getObject("job_id"),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }
}
