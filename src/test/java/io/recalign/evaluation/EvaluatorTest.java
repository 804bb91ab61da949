package io.recalign.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.AnswerFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The evaluator over every test task, with answerers whose scores are known in advance. */
class EvaluatorTest {

    private final CatalogSnapshot snapshot = EvaluationFixtures.catalog();
    private final IndexOrderTeacher teacher = new IndexOrderTeacher(snapshot);
    private final Evaluator evaluator = new Evaluator(snapshot, teacher);

    @Test
    void theTeacherFollowsEveryControlExactly() {
        List<int[]> progress = new ArrayList<>();
        EvaluationOutcome outcome = evaluator.evaluate(evaluator.teacherAnswerer(teacher), null, 1,
                (done, total) -> progress.add(new int[] {done, total}));

        assertThat(outcome.users()).isEqualTo(12);
        Map<String, EvaluationOutcome.TaskMetrics> byTask = byTask(outcome);
        assertThat(byTask.keySet()).containsExactly("seqrec", "control-in", "control-out", "rate-lp", "rate-mp",
                "rate-ep", "item-count");
        assertThat(byTask.get("seqrec").lists()).isEqualTo(12);
        assertThat(byTask.get("control-out").lists()).isEqualTo(12);
        assertThat(byTask.get("control-in").lists()).as("one target has no category").isEqualTo(11);
        for (EvaluationOutcome.TaskMetrics task : outcome.tasks()) {
            assertThat(task.metrics().get(Metrics.CORRECT_COUNT)).as(task.task()).isEqualTo(1.0);
            assertThat(task.metrics().get(Metrics.NON_EXIST_RATE)).isZero();
            assertThat(task.metrics().get(Metrics.REPEAT_RATE)).isZero();
            assertThat(task.metrics().get(Metrics.IN_HISTORY_RATE)).isZero();
            if (task.task().startsWith("rate-")) {
                assertThat(task.metrics().get(Metrics.CATEGORY_RATE_CORRECT)).as(task.task()).isEqualTo(1.0);
            } else {
                assertThat(task.metrics()).doesNotContainKey(Metrics.CATEGORY_RATE_CORRECT);
            }
        }
        assertThat(byTask.get("control-out").metrics().get(Metrics.TARGET_CATEGORY_RATE)).isZero();
        assertThat(byTask.get("control-in").metrics().get(Metrics.TARGET_CATEGORY_RATE)).isGreaterThan(1);
        assertThat(byTask.get("seqrec").metrics()).doesNotContainKey(Metrics.TARGET_CATEGORY_RATE);
        assertThat(byTask.get("rate-lp").metrics().get(Metrics.TARGET_CATEGORY_RATE)).isEqualTo(2.0);

        int[] last = progress.get(progress.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]);
        assertThat(last[1]).isEqualTo(outcome.tasks().stream().mapToInt(EvaluationOutcome.TaskMetrics::lists).sum());
    }

    @Test
    void anAnswererThatRepeatsTheHistoryIsCaught() {
        Answerer parrot = new Answerer() {
            @Override
            public List<String> answer(List<TestCase> cases) {
                return cases.stream().map(c -> {
                    int[] history = c.history();
                    int[] last = Arrays.copyOfRange(history, Math.max(0, history.length - c.count()), history.length);
                    List<String> titles = new ArrayList<>();
                    Arrays.stream(last).forEach(item -> titles.add(snapshot.items().get(item).title()));
                    titles.add("Not A Movie In This Catalog");
                    return AnswerFormat.format(titles);
                }).toList();
            }

            @Override
            public int batchSize() {
                return 5;
            }
        };
        EvaluationOutcome outcome = evaluator.evaluate(parrot, 4, 9, Evaluator.Progress.NONE);
        assertThat(outcome.users()).isEqualTo(4);
        Map<String, Double> seqRec = byTask(outcome).get("seqrec").metrics();
        assertThat(seqRec.get(Metrics.RECALL)).isZero();
        assertThat(seqRec.get(Metrics.IN_HISTORY_RATE)).isEqualTo(10.0);
        assertThat(seqRec.get(Metrics.CORRECT_COUNT)).as("one title too many").isZero();
        assertThat(seqRec.get(Metrics.NON_EXIST_RATE)).as("the extra title lies beyond N").isZero();
    }

    @Test
    void casesWithoutAnAnswerAreLeftOutAndSoIsTheirUsersControlOut() {
        Answerer teacherAnswers = evaluator.teacherAnswerer(teacher);
        Answerer silentOnUserZero = new Answerer() {
            @Override
            public List<String> answer(List<TestCase> cases) {
                List<String> answers = new ArrayList<>(teacherAnswers.answer(cases));
                for (int i = 0; i < cases.size(); i++) {
                    if (cases.get(i).user() == 0) {
                        answers.set(i, null);
                    }
                }
                return answers;
            }

            @Override
            public int batchSize() {
                return 7;
            }
        };
        Map<String, EvaluationOutcome.TaskMetrics> all = byTask(evaluator.evaluate(teacherAnswers, null, 1,
                Evaluator.Progress.NONE));
        Map<String, EvaluationOutcome.TaskMetrics> silent = byTask(evaluator.evaluate(silentOnUserZero, null, 1,
                Evaluator.Progress.NONE));

        List<String> userZeroTasks = new ArrayList<>(List.of("seqrec", "control-out"));
        new TestTasks(snapshot, new Categories(snapshot), teacher).independent(new int[] {0}, 1)
                .forEach(c -> userZeroTasks.add(c.task().code()));
        assertThat(silent.keySet()).containsExactlyElementsOf(all.keySet());
        for (String task : all.keySet()) {
            assertThat(silent.get(task).lists()).as(task)
                    .isEqualTo(all.get(task).lists() - (userZeroTasks.contains(task) ? 1 : 0));
            assertThat(silent.get(task).metrics().get(Metrics.CORRECT_COUNT)).as(task).isEqualTo(1.0);
        }
    }

    @Test
    void aStopRequestEndsTheEvaluation() {
        assertThatThrownBy(() -> evaluator.evaluate(evaluator.teacherAnswerer(teacher), null, 1, (done, total) -> {
            throw new java.util.concurrent.CancellationException("stop");
        })).isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    @Test
    void theTeacherMustBelongToTheDataset() {
        CatalogSnapshot other = new CatalogSnapshot("other", snapshot.items(), snapshot.categories(), snapshot.users());
        assertThatThrownBy(() -> new Evaluator(other, teacher)).hasMessageContaining("trained on dataset 'fixture'");
    }

    static Map<String, EvaluationOutcome.TaskMetrics> byTask(EvaluationOutcome outcome) {
        return outcome.tasks().stream().collect(Collectors.toMap(EvaluationOutcome.TaskMetrics::task, t -> t,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
