package io.recalign.evaluation;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.Intention;
import io.recalign.tasks.PromptRenderer;
import io.recalign.tasks.RateKind;
import io.recalign.tasks.TaskFamily;
import io.recalign.tasks.TaskInput;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The test tasks of method.md §6 for a set of users, in the fixed test wording, on each user's test
 * history and test target:
 * <ul>
 * <li>SeqRec, N = 10;</li>
 * <li>+C, N = 10, C = the target's deepest category ({@link Categories#deepest});</li>
 * <li>-C, N = 10, C = the category most frequent in the evaluated model's own SeqRec answer (built after
 * that answer, {@link #controlOut}); when that answer names no item with a category, the catalog's
 * largest category;</li>
 * <li>CategoryRate LP "at most 20 %" (k = 2), C = the category most frequent in the teacher's
 * unconstrained top-10 apart from the target's own (a category the user is steered towards, so the limit
 * binds; the same C for every evaluated model);</li>
 * <li>CategoryRate MP and EP "at least / about 30 %" (k = 3), C = the target's deepest category;</li>
 * <li>ItemCount, N drawn in 11..15 from a per-user stream of the seed.</li>
 * </ul>
 * N shrinks to the items available outside the history (in C for +C, outside C for -C); a share task
 * whose split cannot be met, or a category task for a target without categories, is left out for that user.
 */
final class TestTasks {

    static final List<TaskFamily> ORDER = List.of(TaskFamily.SEQ_REC, TaskFamily.CONTROL_IN, TaskFamily.CONTROL_OUT,
            TaskFamily.RATE_AT_MOST, TaskFamily.RATE_AT_LEAST, TaskFamily.RATE_ABOUT, TaskFamily.ITEM_COUNT);
    static final int LIST_SIZE = 10;
    static final int AT_MOST_K = 2;
    static final int OTHER_SHARE_K = 3;
    static final int ITEM_COUNT_MIN = 11;
    static final int ITEM_COUNT_MAX = 15;

    private final CatalogSnapshot snapshot;
    private final Categories categories;
    private final Teacher teacher;

    TestTasks(CatalogSnapshot snapshot, Categories categories, Teacher teacher) {
        if (!snapshot.dataset().equals(teacher.dataset())) {
            throw new IllegalArgumentException("the teacher was trained on dataset '" + teacher.dataset()
                    + "', not on '" + snapshot.dataset() + "'");
        }
        this.snapshot = snapshot;
        this.categories = categories;
        this.teacher = teacher;
    }

    /**
     * {@code sample} users drawn without replacement from a stream of {@code seed}, in index order; all
     * users when {@code sample} is null or not below the user count.
     */
    static int[] users(int userCount, Integer sample, long seed) {
        if (sample != null && sample < 1) {
            throw new IllegalArgumentException("the user sample must hold at least one user, was " + sample);
        }
        int[] all = IntStream.range(0, userCount).toArray();
        if (sample == null || sample >= userCount) {
            return all;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < sample; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(userCount - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        int[] chosen = Arrays.copyOf(all, sample);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The SeqRec case of each user. */
    List<TestCase> seqRec(int[] users) {
        List<TestCase> cases = new ArrayList<>(users.length);
        for (int user : users) {
            int[] history = history(user);
            int count = Math.min(LIST_SIZE, snapshot.items().size() - distinctCount(history));
            if (count >= 1) {
                cases.add(new TestCase(TaskFamily.SEQ_REC, user, history, target(user), count, -1, -1,
                        PromptRenderer.render(new TaskInput.SeqRec(titles(history), count))));
            }
        }
        return cases;
    }

    /** Every case that does not depend on the evaluated model's answers: +C, the share tasks, ItemCount. */
    List<TestCase> independent(int[] users, long seed) {
        List<TopKQuery> probes = new ArrayList<>(users.length);
        for (int user : users) {
            probes.add(TopKQuery.of(history(user), LIST_SIZE));
        }
        List<int[]> teacherTop = users.length == 0 ? List.of() : teacher.topK(probes);
        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < users.length; i++) {
            int user = users[i];
            int[] history = history(user);
            int target = target(user);
            int deepest = categories.deepest(target);
            if (deepest >= 0) {
                addIfPresent(cases, controlIn(user, history, target, deepest));
                addIfPresent(cases, share(RateKind.AT_LEAST, user, history, target, deepest));
                addIfPresent(cases, share(RateKind.ABOUT, user, history, target, deepest));
            }
            int steered = categories.mostFrequentAmong(teacherTop.get(i), categories.of(target));
            if (steered >= 0) {
                addIfPresent(cases, share(RateKind.AT_MOST, user, history, target, steered));
            }
            addIfPresent(cases, itemCount(user, history, target, seed));
        }
        cases.sort(Comparator.comparingInt(c -> ORDER.indexOf(c.task())));
        return cases;
    }

    /** The -C case of a user, C taken from the items the model named in its SeqRec answer. */
    TestCase controlOut(TestCase seqRec, int[] answeredItems) {
        if (seqRec.task() != TaskFamily.SEQ_REC) {
            throw new IllegalArgumentException("-C is built from a SeqRec case, not " + seqRec.task().code());
        }
        int[] named = Arrays.copyOf(answeredItems, Math.min(seqRec.count(), answeredItems.length));
        int category = categories.mostFrequentAmong(named, new int[0]);
        if (category < 0) {
            category = categories.largest();
        }
        if (category < 0) {
            return null;
        }
        int[] history = seqRec.history();
        int count = Math.min(LIST_SIZE, categories.available(category, false, history));
        if (count < 1) {
            return null;
        }
        TaskInput input = new TaskInput.PersonalControl(titles(history), count,
                Intention.avoid(snapshot.categories().get(category)));
        return new TestCase(TaskFamily.CONTROL_OUT, seqRec.user(), history, seqRec.target(), count, category, -1,
                PromptRenderer.render(input));
    }

    private TestCase controlIn(int user, int[] history, int target, int category) {
        int count = Math.min(LIST_SIZE, categories.available(category, true, history));
        if (count < 1) {
            return null;
        }
        TaskInput input = new TaskInput.PersonalControl(titles(history), count,
                Intention.like(snapshot.categories().get(category)));
        return new TestCase(TaskFamily.CONTROL_IN, user, history, target, count, category, -1,
                PromptRenderer.render(input));
    }

    private TestCase share(RateKind kind, int user, int[] history, int target, int category) {
        int k = kind == RateKind.AT_MOST ? AT_MOST_K : OTHER_SHARE_K;
        if (categories.available(category, true, history) < k
                || categories.available(category, false, history) < LIST_SIZE - k) {
            return null;
        }
        TaskInput input = new TaskInput.CategoryRate(titles(history), LIST_SIZE, snapshot.categories().get(category),
                kind, k, TaskInput.SharePhrasing.PERCENT);
        return new TestCase(kind.family(), user, history, target, LIST_SIZE, category, k, PromptRenderer.render(input));
    }

    private TestCase itemCount(int user, int[] history, int target, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (user + 1)));
        int drawn = ITEM_COUNT_MIN + rng.nextInt(ITEM_COUNT_MAX - ITEM_COUNT_MIN + 1);
        int count = Math.min(drawn, snapshot.items().size() - distinctCount(history));
        if (count < 1) {
            return null;
        }
        return new TestCase(TaskFamily.ITEM_COUNT, user, history, target, count, -1, -1,
                PromptRenderer.render(new TaskInput.ItemCount(titles(history), count)));
    }

    private int[] history(int user) {
        return snapshot.users().get(user).testHistory();
    }

    private int target(int user) {
        return snapshot.users().get(user).testTarget();
    }

    private List<String> titles(int[] items) {
        List<String> titles = new ArrayList<>(items.length);
        for (int item : items) {
            titles.add(snapshot.items().get(item).title());
        }
        return titles;
    }

    private static int distinctCount(int[] items) {
        return (int) Arrays.stream(items).distinct().count();
    }

    private static void addIfPresent(List<TestCase> cases, TestCase testCase) {
        if (testCase != null) {
            cases.add(testCase);
        }
    }
}
