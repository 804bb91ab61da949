package io.recalign.evaluation;

import io.recalign.system.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Evaluation runs and their per-task results in PostgreSQL ({@code evaluations}, {@code evaluation_results}). */
@Component
class EvaluationStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, Double>> METRICS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, dataset, model_ref, model_id, model_kind, teacher_id, decoding,"
            + " user_count, settings, job_id, created_at";

    /** What a finished run stores. */
    record NewEvaluation(String dataset, String model, Long modelId, String modelKind, Long teacherId, Decoding decoding,
                         Map<String, Object> settings, Long jobId, EvaluationOutcome outcome) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    EvaluationStore(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Stores a run and its results in one transaction. */
    StoredEvaluation save(NewEvaluation run) {
        if (run.outcome().tasks().isEmpty()) {
            throw new IllegalArgumentException("an evaluation without any task result cannot be stored");
        }
        Long id = transaction.execute(status -> {
            long evaluationId = jdbc.sql("""
                            insert into evaluations (dataset_id, dataset, model_ref, model_id, model_kind, teacher_id,
                                                     decoding, user_count, settings, job_id)
                            select d.id, d.name, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ? from datasets d where d.name = ?
                            returning id""")
                    .params(run.model(), run.modelId(), run.modelKind(), run.teacherId(), run.decoding().label(),
                            run.outcome().users(), JSON.writeValueAsString(run.settings()), run.jobId(), run.dataset())
                    .query(Long.class).optional()
                    .orElseThrow(() -> new NotFoundException("no dataset '" + run.dataset() + "'"));
            List<EvaluationOutcome.TaskMetrics> tasks = run.outcome().tasks();
            for (int position = 0; position < tasks.size(); position++) {
                EvaluationOutcome.TaskMetrics task = tasks.get(position);
                jdbc.sql("""
                                insert into evaluation_results (evaluation_id, task, list_count, metrics, position)
                                values (?, ?, ?, cast(? as jsonb), ?)""")
                        .params(evaluationId, task.task(), task.lists(), JSON.writeValueAsString(task.metrics()), position)
                        .update();
            }
            return evaluationId;
        });
        return get(id);
    }

    StoredEvaluation get(long id) {
        StoredEvaluation run = jdbc.sql("select " + COLUMNS + " from evaluations where id = ?").param(id)
                .query(EvaluationStore::row).optional()
                .orElseThrow(() -> new NotFoundException("no evaluation " + id));
        return withResults(List.of(run)).get(0);
    }

    /** A dataset's runs (all datasets when null), newest first. */
    List<StoredEvaluation> list(String dataset) {
        List<StoredEvaluation> runs = dataset == null
                ? jdbc.sql("select " + COLUMNS + " from evaluations order by id desc").query(EvaluationStore::row).list()
                : jdbc.sql("select " + COLUMNS + " from evaluations where dataset = ? order by id desc")
                        .param(dataset).query(EvaluationStore::row).list();
        return withResults(runs);
    }

    private List<StoredEvaluation> withResults(List<StoredEvaluation> runs) {
        if (runs.isEmpty()) {
            return runs;
        }
        Map<Long, List<EvaluationOutcome.TaskMetrics>> results = new LinkedHashMap<>();
        runs.forEach(run -> results.put(run.id(), new ArrayList<>()));
        jdbc.sql("""
                        select evaluation_id, task, list_count, metrics from evaluation_results
                        where evaluation_id = any (?) order by evaluation_id, position""")
                .param(runs.stream().map(StoredEvaluation::id).toArray(Long[]::new))
                .query((rs, n) -> {
                    results.get(rs.getLong(1)).add(new EvaluationOutcome.TaskMetrics(rs.getString(2), rs.getInt(3),
                            inTableOrder(JSON.readValue(rs.getString(4), METRICS))));
                    return n;
                }).list();
        return runs.stream().map(run -> new StoredEvaluation(run.id(), run.dataset(), run.model(), run.modelId(),
                run.modelKind(), run.teacherId(), run.decoding(), run.users(), run.settings(), run.jobId(),
                run.createdAt(), results.get(run.id()))).toList();
    }

    /** jsonb keeps keys in its own order; metrics read back in {@link Metrics#NAMES} order, unknown ones last. */
    private static Map<String, Double> inTableOrder(Map<String, Double> metrics) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        Metrics.NAMES.stream().filter(metrics::containsKey).forEach(name -> ordered.put(name, metrics.get(name)));
        ordered.putAll(metrics);
        return ordered;
    }

    private static StoredEvaluation row(ResultSet rs, int n) throws SQLException {
        return new StoredEvaluation(rs.getLong("id"), rs.getString("dataset"), rs.getString("model_ref"),
                rs.getObject("model_id", Long.class), rs.getString("model_kind"), rs.getObject("teacher_id", Long.class),
                rs.getString("decoding"), rs.getInt("user_count"), JSON.readValue(rs.getString("settings"), OBJECT),
                rs.getObject("job_id", Long.class), rs.getTimestamp("created_at").toInstant(), List.of());
    }
}
