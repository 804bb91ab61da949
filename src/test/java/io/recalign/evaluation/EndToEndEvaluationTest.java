package io.recalign.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import io.recalign.llm.TokenizerBuilder;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.SasRecConfig;
import io.recalign.teacher.SasRecTeacher;
import io.recalign.teacher.TeacherTrainer;
import io.recalign.teacher.TrainedTeacher;
import io.recalign.teacher.TrainingExamples;
import io.recalign.teacher.TrainingOptions;
import io.recalign.teacher.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole evaluation on a synthetic catalog: a briefly trained SASRec teacher, a random-item baseline
 * and a tiny language model (random weights, word-level tokenizer) answering with batched greedy
 * generation, free and guided.
 */
class EndToEndEvaluationTest {

    private static final int MODEL_USERS = 20;

    private static CatalogSnapshot snapshot;
    private static SasRecTeacher teacher;
    private static Evaluator evaluator;
    private static int torchThreads;
    private static NDManager manager;
    private static LlamaModel model;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void train() {
        Engine.getEngine("PyTorch");
        torchThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1); // tiny models: OpenMP threads only wait for each other
        snapshot = EvaluationFixtures.structured(90, 160, 14, 5);
        TrainedTeacher trained = new TeacherTrainer().train(snapshot, new SasRecConfig(10, 32, 1, 2, 64, 0.1),
                new TrainingOptions(15, 4, 64, 5e-3, 3, TrainingExamples.ALL_WINDOWS), TrainingProgress.NONE, () -> false);
        teacher = SasRecTeacher.of(snapshot, trained.model());
        evaluator = new Evaluator(snapshot, teacher);
        buildTinyModel();
    }

    /** A word-level tokenizer over the test prompts and titles, and a tiny Llama with random weights. */
    private static void buildTinyModel() {
        List<String> corpus = new ArrayList<>();
        TestTasks tasks = new TestTasks(snapshot, new Categories(snapshot), teacher);
        int[] users = IntStream.range(0, MODEL_USERS).toArray();
        tasks.seqRec(users).forEach(c -> corpus.add(c.prompt()));
        tasks.independent(users, 1).forEach(c -> corpus.add(c.prompt()));
        corpus.add(AnswerFormat.format(List.of(snapshot.items().get(0).title(), snapshot.items().get(1).title())));
        TokenizerBuilder.BuiltTokenizer built = new TokenizerBuilder()
                .titles(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList())
                .categories(snapshot.categories()).corpus(corpus).build();
        LlamaConfig config = new LlamaConfig("llama", built.vocabSize(), 32, 64, 2, 4, 2, 8, 320, 1e-5, false,
                false, false, false, LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);
        manager = NDManager.newBaseManager();
        model = LlamaModel.create(config, manager, 17);
        tokenizer = TextTokenizer.fromJson(built.json());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        model.close();
        manager.close();
        teacher.close();
        JniUtils.setNumThreads(torchThreads);
    }

    @Test
    void theTeacherBeatsRandomItemsOnRecall() {
        EvaluationOutcome byTeacher = evaluator.evaluate(evaluator.teacherAnswerer(teacher), null, 1, Evaluator.Progress.NONE);
        EvaluationOutcome byChance = evaluator.evaluate(new RandomItems(snapshot, 8), null, 1, Evaluator.Progress.NONE);
        assertValid(byTeacher);
        assertValid(byChance);
        double teacherRecall = metric(byTeacher, "seqrec", Metrics.RECALL);
        double chanceRecall = metric(byChance, "seqrec", Metrics.RECALL);
        assertThat(teacherRecall).as("teacher %s vs random %s", teacherRecall, chanceRecall)
                .isGreaterThan(0.3).isGreaterThan(3 * chanceRecall);
        assertThat(metric(byTeacher, "item-count", Metrics.RECALL)).isGreaterThan(metric(byChance, "item-count", Metrics.RECALL));
        assertThat(metric(byTeacher, "control-in", Metrics.TARGET_CATEGORY_RATE))
                .isGreaterThan(metric(byChance, "control-in", Metrics.TARGET_CATEGORY_RATE));
        assertThat(metric(byTeacher, "rate-mp", Metrics.CATEGORY_RATE_CORRECT)).isEqualTo(1.0);
        assertThat(metric(byChance, "seqrec", Metrics.IN_HISTORY_RATE)).as("random titles hit the history").isPositive();
    }

    @Test
    void aTinyLanguageModelIsEvaluatedOnEveryTask() {
        List<String> titles = List.of(snapshot.items().get(3).title(), snapshot.items().get(40).title());
        assertThat(AnswerFormat.parse(tokenizer.decode(tokenizer.encode(AnswerFormat.format(titles)))))
                .as("answers survive the tokenizer both ways").isEqualTo(titles);
        List<int[]> progress = new ArrayList<>();
        EvaluationOutcome outcome = evaluator.evaluate(new ModelAnswerer(model, tokenizer, snapshot, Decoding.FREE, 32),
                MODEL_USERS, 1, (done, total) -> progress.add(new int[] {done, total}));
        assertValid(outcome);
        assertThat(outcome.users()).isEqualTo(MODEL_USERS);
        assertThat(outcome.tasks()).extracting(EvaluationOutcome.TaskMetrics::task)
                .containsExactly("seqrec", "control-in", "control-out", "rate-lp", "rate-mp", "rate-ep", "item-count");
        assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(progress.get(progress.size() - 1)[1]);
    }

    @Test
    void guidedDecodingMeetsEveryControlOfEveryTask() {
        EvaluationOutcome outcome = evaluator.evaluate(new ModelAnswerer(model, tokenizer, snapshot, Decoding.GUIDED, 32),
                MODEL_USERS, 1, Evaluator.Progress.NONE);

        assertValid(outcome);
        int[] users = TestTasks.users(snapshot.users().size(), MODEL_USERS, 1);
        List<TestCase> controlIn = new TestTasks(snapshot, new Categories(snapshot), teacher).independent(users, 1)
                .stream().filter(c -> c.task() == TaskFamily.CONTROL_IN).toList();
        for (EvaluationOutcome.TaskMetrics task : outcome.tasks()) {
            Map<String, Double> metrics = task.metrics();
            assertThat(metrics.get(Metrics.NON_EXIST_RATE)).as(task.task()).isZero();
            assertThat(metrics.get(Metrics.REPEAT_RATE)).as(task.task()).isZero();
            assertThat(metrics.get(Metrics.IN_HISTORY_RATE)).as(task.task()).isZero();
            assertThat(metrics.get(Metrics.CORRECT_COUNT)).as(task.task()).isEqualTo(1.0);
            if (task.task().startsWith("rate-")) {
                assertThat(metrics.get(Metrics.CATEGORY_RATE_CORRECT)).as(task.task()).isEqualTo(1.0);
            }
        }
        assertThat(task(outcome, "control-in").lists()).as("every +C case answered").isEqualTo(controlIn.size());
        assertThat(metric(outcome, "control-in", Metrics.TARGET_CATEGORY_RATE)).as("every item of a +C list is in C")
                .isEqualTo(controlIn.stream().mapToInt(TestCase::count).average().orElseThrow());
        assertThat(metric(outcome, "control-out", Metrics.TARGET_CATEGORY_RATE)).isZero();
        assertThat(task(outcome, "seqrec").lists()).isEqualTo(MODEL_USERS);
        assertThat(task(outcome, "control-out").lists()).isEqualTo(MODEL_USERS);
    }

    private static void assertValid(EvaluationOutcome outcome) {
        assertThat(outcome.tasks()).hasSize(TestTasks.ORDER.size());
        for (EvaluationOutcome.TaskMetrics task : outcome.tasks()) {
            assertThat(task.lists()).isBetween(1, outcome.users());
            int mostItems = task.task().equals("item-count") ? TestTasks.ITEM_COUNT_MAX : TestTasks.LIST_SIZE;
            for (Map.Entry<String, Double> metric : task.metrics().entrySet()) {
                double bound = Metrics.SHARES.contains(metric.getKey()) ? 1 : mostItems;
                assertThat(metric.getValue()).as(task.task() + " " + metric.getKey()).isBetween(0.0, bound);
            }
            assertThat(task.metrics().get(Metrics.NDCG)).isLessThanOrEqualTo(task.metrics().get(Metrics.RECALL));
            assertThat(task.metrics().containsKey(Metrics.TARGET_CATEGORY_RATE))
                    .isEqualTo(!task.task().equals("seqrec") && !task.task().equals("item-count"));
            assertThat(task.metrics().containsKey(Metrics.CATEGORY_RATE_CORRECT)).isEqualTo(task.task().startsWith("rate-"));
        }
    }

    private static EvaluationOutcome.TaskMetrics task(EvaluationOutcome outcome, String task) {
        return outcome.tasks().stream().filter(t -> t.task().equals(task)).findFirst().orElseThrow();
    }

    private static double metric(EvaluationOutcome outcome, String task, String metric) {
        return task(outcome, task).metrics().get(metric);
    }

    /** The chance baseline: N titles drawn uniformly from the catalog. */
    private record RandomItems(CatalogSnapshot snapshot, long seed) implements Answerer {

        @Override
        public List<String> answer(List<TestCase> cases) {
            Random random = new Random(seed + cases.get(0).user());
            return cases.stream().map(c -> AnswerFormat.format(random.ints(0, snapshot.items().size()).distinct()
                    .limit(c.count()).mapToObj(item -> snapshot.items().get(item).title()).toList())).toList();
        }

        @Override
        public int batchSize() {
            return 64;
        }
    }
}
