package io.recalign.alignment;

import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.system.BadRequestException;
import io.recalign.system.NotFoundException;
import io.recalign.tasks.ExampleParameters;
import io.recalign.tasks.InstructionBuilder;
import io.recalign.tasks.InstructionPlan;
import io.recalign.tasks.LabelledExample;
import io.recalign.tasks.Split;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TeacherRecord;
import io.recalign.teacher.TeacherService;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Versioned instruction sets: built from a dataset's snapshot and its active teacher with
 * {@link InstructionBuilder} (deterministic for a seed), stored with all their examples in one
 * transaction, and read back by training runs and the admin API.
 */
@Service
public class InstructionSets {

    /** Seed of a build that names none. */
    public static final long DEFAULT_SEED = 42;

    private static final Logger log = LoggerFactory.getLogger(InstructionSets.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Map<String, Integer>>> COUNTS = new TypeReference<>() {
    };
    private static final int BATCH = 1000;
    /** A hundred times the default plan's largest count: a bound that keeps a typo from exhausting memory. */
    static final int MAX_TASK_COUNT = 300_000;
    private static final String SET_COLUMNS = "id, dataset, teacher_id, seed, plan, counts, created_at";

    /**
     * Examples per task in the default plan, sized for a CPU run of the default model on a catalog like
     * ml-latest-small: SeqRec (the accuracy task) gets most, the control tasks a solid share. Validation
     * keeps SeqRec large for a stable Recall@10 and the rest small; test covers the fixed test tasks.
     */
    private static final Map<TaskFamily, int[]> DEFAULT_COUNTS = defaultCounts();

    private final CatalogService catalog;
    private final TeacherService teachers;
    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transaction;

    InstructionSets(CatalogService catalog, TeacherService teachers, JdbcClient jdbc, JdbcTemplate jdbcTemplate,
            PlatformTransactionManager transactionManager) {
        this.catalog = catalog;
        this.teachers = teachers;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** The default plan: train / valid / test examples per task. */
    public static InstructionPlan defaultPlan() {
        return plan(Map.of());
    }

    /**
     * The default plan with some counts replaced: {@code overrides.get("train").get("seqrec") = 500}.
     * Unknown splits or tasks and counts outside 0..MAX_TASK_COUNT are a {@link BadRequestException}.
     */
    public static InstructionPlan plan(Map<String, Map<String, Integer>> overrides) {
        Map<Split, Map<TaskFamily, Integer>> counts = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            Map<TaskFamily, Integer> perTask = new EnumMap<>(TaskFamily.class);
            DEFAULT_COUNTS.forEach((family, values) -> perTask.put(family, values[split.ordinal()]));
            counts.put(split, perTask);
        }
        if (overrides != null) {
            overrides.forEach((splitCode, perTask) -> {
                Split split = split(splitCode);
                if (perTask == null) {
                    return;
                }
                perTask.forEach((taskCode, count) -> {
                    if (count == null || count < 0 || count > MAX_TASK_COUNT) {
                        throw new BadRequestException("count of " + splitCode + "." + taskCode + " must be between 0 and "
                                + MAX_TASK_COUNT);
                    }
                    counts.get(split).put(task(taskCode), count);
                });
            });
        }
        return new InstructionPlan(counts.get(Split.TRAIN), counts.get(Split.VALID), counts.get(Split.TEST));
    }

    /**
     * Builds a set from the dataset's snapshot and active teacher and stores it as the dataset's latest.
     *
     * @throws NotFoundException when the dataset does not exist or has no trained teacher
     */
    public InstructionSet build(String dataset, long seed, InstructionPlan plan) {
        CatalogSnapshot snapshot = catalog.snapshot(dataset);
        TeacherRecord record = teachers.activeRecord(dataset);
        Teacher teacher = teachers.require(dataset);
        long started = System.nanoTime();
        List<LabelledExample> examples = new InstructionBuilder(snapshot, teacher).build(plan, seed);
        Map<String, Map<String, Integer>> counts = counts(examples);
        long id = transaction.execute(status -> {
            long setId = jdbc.sql("""
                            insert into instruction_sets (dataset, teacher_id, seed, plan, counts)
                            values (?, ?, ?, cast(? as jsonb), cast(? as jsonb)) returning id""")
                    .params(dataset, record.id(), seed, JSON.writeValueAsString(describe(plan)),
                            JSON.writeValueAsString(counts))
                    .query(Long.class).single();
            insert(setId, examples);
            return setId;
        });
        log.info("Instruction set {} of dataset {}: {} examples labelled by teacher {} in {} s", id, dataset,
                examples.size(), record.id(), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
        return get(id);
    }

    /** The dataset's most recent set, if it has one. */
    public Optional<InstructionSet> latest(String dataset) {
        return jdbc.sql("select " + SET_COLUMNS + " from instruction_sets where dataset = ? order by id desc limit 1")
                .param(dataset).query(InstructionSets::set).optional();
    }

    /** The dataset's most recent set, or a 404 problem that says how to build one. */
    public InstructionSet requireLatest(String dataset) {
        catalog.dataset(dataset);
        return latest(dataset).orElseThrow(() -> new NotFoundException("dataset '" + dataset
                + "' has no instruction set; run `tasks build --dataset " + dataset + "`"));
    }

    public InstructionSet get(long id) {
        return jdbc.sql("select " + SET_COLUMNS + " from instruction_sets where id = ?").param(id)
                .query(InstructionSets::set).optional()
                .orElseThrow(() -> new NotFoundException("no instruction set " + id));
    }

    /**
     * A set's examples in build order, optionally of one split and one task, at most {@code limit}
     * (0 for all).
     */
    public List<LabelledExample> examples(long setId, Split split, TaskFamily task, int limit) {
        StringBuilder sql = new StringBuilder("select split, task, prompt, answer, parameters from instruction_examples"
                + " where set_id = ?");
        List<Object> params = new ArrayList<>(List.of(setId));
        if (split != null) {
            sql.append(" and split = ?");
            params.add(split.code());
        }
        if (task != null) {
            sql.append(" and task = ?");
            params.add(task.code());
        }
        sql.append(" order by position");
        if (limit > 0) {
            sql.append(" limit ?");
            params.add(limit);
        }
        return jdbc.sql(sql.toString()).params(params).query(InstructionSets::example).list();
    }

    /** Parses a split code ({@code train}, {@code valid}, {@code test}); anything else is a bad request. */
    public static Split split(String code) {
        for (Split split : Split.values()) {
            if (split.code().equals(code)) {
                return split;
            }
        }
        throw new BadRequestException("unknown split '" + code + "'; one of train, valid, test");
    }

    /** Parses a task code such as {@code seqrec}; anything else is a bad request naming the known ones. */
    public static TaskFamily task(String code) {
        try {
            return TaskFamily.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private void insert(long setId, List<LabelledExample> examples) {
        String sql = "insert into instruction_examples (set_id, position, split, task, prompt, answer, parameters)"
                + " values (?, ?, ?, ?, ?, ?, cast(? as jsonb))";
        for (int from = 0; from < examples.size(); from += BATCH) {
            int start = from;
            int size = Math.min(BATCH, examples.size() - from);
            jdbcTemplate.batchUpdate(sql, new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement statement, int i) throws SQLException {
                    LabelledExample example = examples.get(start + i);
                    statement.setLong(1, setId);
                    statement.setInt(2, start + i);
                    statement.setString(3, example.split().code());
                    statement.setString(4, example.task().code());
                    statement.setString(5, example.prompt());
                    statement.setString(6, example.answer());
                    statement.setString(7, JSON.writeValueAsString(example.parameters()));
                }

                @Override
                public int getBatchSize() {
                    return size;
                }
            });
        }
    }

    private static Map<String, Map<String, Integer>> counts(List<LabelledExample> examples) {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            counts.put(split.code(), new LinkedHashMap<>());
        }
        for (LabelledExample example : examples) {
            counts.get(example.split().code()).merge(example.task().code(), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, Map<String, Integer>> describe(InstructionPlan plan) {
        Map<String, Map<String, Integer>> described = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            Map<String, Integer> perTask = new LinkedHashMap<>();
            for (TaskFamily family : TaskFamily.values()) {
                perTask.put(family.code(), plan.count(split, family));
            }
            described.put(split.code(), perTask);
        }
        return described;
    }

    private static InstructionSet set(ResultSet rs, int n) throws SQLException {
        return new InstructionSet(rs.getLong("id"), rs.getString("dataset"), (Long) rs.getObject("teacher_id"),
                rs.getLong("seed"), JSON.readValue(rs.getString("plan"), COUNTS),
                JSON.readValue(rs.getString("counts"), COUNTS),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }

    private static LabelledExample example(ResultSet rs, int n) throws SQLException {
        return new LabelledExample(TaskFamily.fromCode(rs.getString("task")), split(rs.getString("split")),
                rs.getString("prompt"), rs.getString("answer"),
                JSON.readValue(rs.getString("parameters"), ExampleParameters.class));
    }

    private static Map<TaskFamily, int[]> defaultCounts() {
        Map<TaskFamily, int[]> counts = new EnumMap<>(TaskFamily.class);
        // train, valid, test
        counts.put(TaskFamily.SEQ_REC, new int[] {3000, 300, 500});
        counts.put(TaskFamily.SEQ_REC_CANDIDATES, new int[] {1000, 50, 0});
        counts.put(TaskFamily.CONTROL_IN, new int[] {1500, 50, 500});
        counts.put(TaskFamily.CONTROL_OUT, new int[] {1500, 50, 500});
        counts.put(TaskFamily.CONTROL_NO_HISTORY, new int[] {500, 50, 0});
        counts.put(TaskFamily.CATEGORY_QUERY, new int[] {500, 50, 0});
        counts.put(TaskFamily.RATE_AT_MOST, new int[] {600, 50, 500});
        counts.put(TaskFamily.RATE_AT_LEAST, new int[] {600, 50, 500});
        counts.put(TaskFamily.RATE_ABOUT, new int[] {600, 50, 500});
        counts.put(TaskFamily.ITEM_COUNT, new int[] {1500, 100, 500});
        return counts;
    }
}
