package io.recalign.evaluation;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.evaluation.Metrics.Control;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.TaskFamily;
import io.recalign.tasks.TitleIndex;
import io.recalign.teacher.Teacher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Runs the test tasks of method.md §6 against one answerer and averages the metrics per task. The
 * SeqRec answers come first, because the -C task of each user takes its C from the answerer's own SeqRec
 * answer; then every other task. Prompts go to the answerer in batches of similar length. A case the
 * answerer cannot answer is left out of its task's lists, as is the -C case of a user without a SeqRec answer.
 */
public final class Evaluator {

    /** Told after each batch; may throw to stop the evaluation (a cancelled job). */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void answered(int done, int total);
    }

    private final CatalogSnapshot snapshot;
    private final Categories categories;
    private final TitleIndex titles;
    private final TestTasks tasks;

    public Evaluator(CatalogSnapshot snapshot, Teacher teacher) {
        this.snapshot = snapshot;
        this.categories = new Categories(snapshot);
        this.titles = new TitleIndex(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList());
        this.tasks = new TestTasks(snapshot, categories, teacher);
    }

    /** The teacher as an answerer (its constrained top-K). */
    public Answerer teacherAnswerer(Teacher teacher) {
        return new TeacherAnswerer(teacher, snapshot);
    }

    /**
     * Evaluates {@code answerer} on all test users, or on {@code userSample} of them drawn with
     * {@code seed} (which also draws the ItemCount N of each user).
     */
    public EvaluationOutcome evaluate(Answerer answerer, Integer userSample, long seed, Progress progress) {
        int[] users = TestTasks.users(snapshot.users().size(), userSample, seed);
        List<TestCase> seqRec = tasks.seqRec(users);
        List<TestCase> independent = tasks.independent(users, seed);
        int total = 2 * seqRec.size() + independent.size();
        Map<TaskFamily, MetricAverages> averages = new EnumMap<>(TaskFamily.class);
        TestTasks.ORDER.forEach(task -> averages.put(task, new MetricAverages()));

        List<String> seqRecAnswers = answerAll(answerer, seqRec, 0, total, progress);
        List<TestCase> rest = new ArrayList<>();
        for (int i = 0; i < seqRec.size(); i++) {
            if (seqRecAnswers.get(i) == null) {
                continue;
            }
            int[] matched = titles.matchAll(AnswerFormat.parse(seqRecAnswers.get(i)));
            averages.get(TaskFamily.SEQ_REC).add(score(seqRec.get(i), matched));
            TestCase controlOut = tasks.controlOut(seqRec.get(i), matched);
            if (controlOut != null) {
                rest.add(controlOut);
            }
        }
        rest.addAll(independent);
        total = seqRec.size() + rest.size();
        List<String> restAnswers = answerAll(answerer, rest, seqRec.size(), total, progress);
        for (int i = 0; i < rest.size(); i++) {
            TestCase testCase = rest.get(i);
            if (restAnswers.get(i) != null) {
                averages.get(testCase.task()).add(score(testCase, titles.matchAll(AnswerFormat.parse(restAnswers.get(i)))));
            }
        }
        List<EvaluationOutcome.TaskMetrics> perTask = new ArrayList<>();
        for (TaskFamily task : TestTasks.ORDER) {
            MetricAverages average = averages.get(task);
            if (average.lists() > 0) {
                perTask.add(new EvaluationOutcome.TaskMetrics(task.code(), average.lists(), average.averages()));
            }
        }
        return new EvaluationOutcome(users.length, perTask);
    }

    private Metrics.ListScore score(TestCase testCase, int[] matched) {
        return Metrics.score(matched, testCase.target(), testCase.history(), testCase.count(), control(testCase));
    }

    private Control control(TestCase testCase) {
        int category = testCase.category();
        if (category < 0) {
            return null;
        }
        TaskFamily task = testCase.task();
        return task.rateKind() == null
                ? Control.category(item -> categories.contains(category, item))
                : Control.share(item -> categories.contains(category, item), task.rateKind(), testCase.rateK());
    }

    /** Answers in batches of similar prompt length; results (null: no answer) in the order of {@code cases}. */
    private static List<String> answerAll(Answerer answerer, List<TestCase> cases, int doneBefore, int total,
                                          Progress progress) {
        int[] order = IntStream.range(0, cases.size()).boxed()
                .sorted(Comparator.comparingInt(i -> cases.get(i).prompt().length()))
                .mapToInt(Integer::intValue).toArray();
        String[] answers = new String[cases.size()];
        int batch = Math.max(1, answerer.batchSize());
        for (int from = 0; from < order.length; from += batch) {
            int to = Math.min(order.length, from + batch);
            List<TestCase> chunk = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                chunk.add(cases.get(order[i]));
            }
            List<String> chunkAnswers = answerer.answer(chunk);
            if (chunkAnswers.size() != chunk.size()) {
                throw new IllegalStateException("the answerer returned " + chunkAnswers.size() + " answers for "
                        + chunk.size() + " prompts");
            }
            for (int i = from; i < to; i++) {
                answers[order[i]] = chunkAnswers.get(i - from);
            }
            progress.answered(doneBefore + to, total);
        }
        return Arrays.asList(answers);
    }
}
