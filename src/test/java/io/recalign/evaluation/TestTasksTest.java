package io.recalign.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.TopKQuery;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The test tasks of method.md §6: which C, N and k each task gets, in the fixed test wording. */
class TestTasksTest {

    private final CatalogSnapshot snapshot = EvaluationFixtures.catalog();
    private final Categories categories = new Categories(snapshot);
    private final IndexOrderTeacher teacher = new IndexOrderTeacher(snapshot);
    private final TestTasks tasks = new TestTasks(snapshot, categories, teacher);
    private final int[] everyone = IntStream.range(0, snapshot.users().size()).toArray();

    @Test
    void theDeepestCategoryIsTheItemsLeastFrequentOne() {
        assertThat(categories.size(0)).isEqualTo(30);
        assertThat(categories.size(2)).isEqualTo(6);
        assertThat(categories.deepest(10)).as("Drama and Film-Noir").isEqualTo(2);
        assertThat(categories.deepest(11)).as("Drama and Comedy").isEqualTo(1);
        assertThat(categories.deepest(15)).as("Drama, Comedy and Film-Noir").isEqualTo(2);
        assertThat(categories.deepest(32)).isEqualTo(3);
        assertThat(categories.deepest(39)).isEqualTo(-1);
    }

    @Test
    void userSamplesAreSeededSortedAndBounded() {
        assertThat(TestTasks.users(12, null, 1)).containsExactly(IntStream.range(0, 12).toArray());
        assertThat(TestTasks.users(12, 50, 1)).hasSize(12);
        int[] sample = TestTasks.users(100, 10, 7);
        assertThat(sample).hasSize(10).isSorted().doesNotHaveDuplicates();
        assertThat(TestTasks.users(100, 10, 7)).containsExactly(sample);
        assertThat(TestTasks.users(100, 10, 8)).isNotEqualTo(sample);
        assertThatThrownBy(() -> TestTasks.users(100, 0, 7)).hasMessageContaining("at least one user");
    }

    @Test
    void seqRecAsksForTenItemsAfterTheTestHistory() {
        List<TestCase> cases = tasks.seqRec(everyone);
        assertThat(cases).hasSize(snapshot.users().size());
        for (TestCase c : cases) {
            CatalogSnapshot.UserSequence user = snapshot.users().get(c.user());
            assertThat(c.task()).isEqualTo(TaskFamily.SEQ_REC);
            assertThat(c.count()).isEqualTo(10);
            assertThat(c.history()).containsExactly(user.testHistory());
            assertThat(c.target()).isEqualTo(user.testTarget());
            String lastTitle = snapshot.items().get(user.testHistory()[user.testHistory().length - 1]).title();
            assertThat(c.prompt()).startsWith("You are an expert recommender engine.\nTask: sequential recommendation.")
                    .contains("'" + lastTitle + "'").contains("Recommend the next 10 items").endsWith("Answer:\n");
        }
    }

    @Test
    void categoryTasksFollowTheTargetAndTheTeacher() {
        List<TestCase> cases = tasks.independent(everyone, 5);
        for (int user : everyone) {
            int target = snapshot.users().get(user).testTarget();
            List<TestCase> own = cases.stream().filter(c -> c.user() == user).toList();
            TestCase itemCount = only(own, TaskFamily.ITEM_COUNT);
            assertThat(itemCount.count()).isBetween(11, 15);
            assertThat(itemCount.prompt()).contains("Recommend exactly " + itemCount.count() + " items");
            if (target == 39) {
                assertThat(own).extracting(TestCase::task)
                        .as("a target without category has no +C, MP or EP task")
                        .doesNotContain(TaskFamily.CONTROL_IN, TaskFamily.RATE_AT_LEAST, TaskFamily.RATE_ABOUT);
                continue;
            }
            int deepest = categories.deepest(target);
            String name = snapshot.categories().get(deepest);
            TestCase in = only(own, TaskFamily.CONTROL_IN);
            assertThat(in.category()).isEqualTo(deepest);
            assertThat(in.count()).isEqualTo(Math.min(10, categories.available(deepest, true, in.history())));
            assertThat(in.prompt()).contains("Please recommend some '" + name + "' items.");
            for (TaskFamily share : List.of(TaskFamily.RATE_AT_LEAST, TaskFamily.RATE_ABOUT)) {
                TestCase rate = own.stream().filter(c -> c.task() == share).findFirst().orElse(null);
                if (categories.available(deepest, true, in.history()) < 3) {
                    assertThat(rate).as("too few items of C for k = 3").isNull();
                    continue;
                }
                assertThat(rate.category()).isEqualTo(deepest);
                assertThat(rate.rateK()).isEqualTo(3);
                assertThat(rate.count()).isEqualTo(10);
                assertThat(rate.prompt()).contains(
                        (share == TaskFamily.RATE_AT_LEAST ? "At least" : "About") + " 30% of the 10 items should be '"
                                + name + "' items.");
            }
            int[] top = teacher.topK(TopKQuery.of(in.history(), 10));
            int steered = categories.mostFrequentAmong(top, categories.of(target));
            if (steered < 0 || categories.available(steered, true, in.history()) < 2
                    || categories.available(steered, false, in.history()) < 8) {
                assertThat(own).extracting(TestCase::task)
                        .as("no category besides the target's in the teacher's top-10, or no 2 + 8 split")
                        .doesNotContain(TaskFamily.RATE_AT_MOST);
                continue;
            }
            TestCase lp = only(own, TaskFamily.RATE_AT_MOST);
            assertThat(lp.category()).isEqualTo(steered);
            assertThat(categories.contains(lp.category(), target)).isFalse();
            assertThat(lp.rateK()).isEqualTo(2);
            assertThat(lp.prompt()).contains("At most 20% of the 10 items should be '"
                    + snapshot.categories().get(lp.category()) + "' items.");
        }
        assertThat(cases.stream().map(TestCase::task).distinct())
                .containsExactly(TaskFamily.CONTROL_IN, TaskFamily.RATE_AT_MOST, TaskFamily.RATE_AT_LEAST,
                        TaskFamily.RATE_ABOUT, TaskFamily.ITEM_COUNT);
    }

    @Test
    void itemCountsAreSeeded() {
        int[] first = counts(tasks.independent(everyone, 5));
        assertThat(counts(tasks.independent(everyone, 5))).containsExactly(first);
        assertThat(counts(tasks.independent(everyone, 6))).isNotEqualTo(first);
    }

    @Test
    void excludedCategoryIsTheMostFrequentOneOfTheModelsOwnSeqRecAnswer() {
        TestCase seqRec = tasks.seqRec(everyone).get(0);
        // Horror twice, Drama and Comedy once; the fourth item lies beyond N when N = 3
        TestCase horror = tasks.controlOut(withCount(seqRec, 3), new int[] {31, 1, 32, 3, 5, 7});
        assertThat(horror.task()).isEqualTo(TaskFamily.CONTROL_OUT);
        assertThat(horror.category()).isEqualTo(3);
        assertThat(horror.prompt()).contains("Please exclude any 'Horror' item.");
        assertThat(horror.count()).isEqualTo(10);
        // Drama and Comedy tie: the lower index wins
        assertThat(tasks.controlOut(seqRec, new int[] {1, 3, -1}).category()).isZero();
        assertThat(tasks.controlOut(seqRec, new int[] {-1, -1, 39}).category())
                .as("no item with a category: the catalog's largest category").isZero();
        assertThatThrownBy(() -> tasks.controlOut(tasks.independent(everyone, 5).get(0), new int[0]))
                .hasMessageContaining("SeqRec");
    }

    private static TestCase withCount(TestCase c, int count) {
        return new TestCase(c.task(), c.user(), c.history(), c.target(), count, c.category(), c.rateK(), c.prompt());
    }

    private static int[] counts(List<TestCase> cases) {
        return cases.stream().filter(c -> c.task() == TaskFamily.ITEM_COUNT).mapToInt(TestCase::count).toArray();
    }

    private static TestCase only(List<TestCase> cases, TaskFamily task) {
        List<TestCase> matching = cases.stream().filter(c -> c.task() == task).toList();
        assertThat(matching).as(task.code()).hasSize(1);
        return matching.get(0);
    }
}
