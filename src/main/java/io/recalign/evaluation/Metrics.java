package io.recalign.evaluation;

import io.recalign.tasks.RateKind;
import io.recalign.tasks.TitleIndex;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The metrics of method.md §6 for one answer list, as pure functions. An answer is judged on its first
 * N titles (the "truncated" list); only CorrectCount looks at the whole list. Titles are grounded by
 * {@link TitleIndex} (exact title, else the nearest within Levenshtein distance 3, else no item).
 */
public final class Metrics {

    public static final String RECALL = "recall";
    public static final String NDCG = "ndcg";
    public static final String NON_EXIST_RATE = "nonExistRate";
    public static final String REPEAT_RATE = "repeatRate";
    public static final String IN_HISTORY_RATE = "inHistoryRate";
    public static final String CORRECT_COUNT = "correctCount";
    public static final String TARGET_CATEGORY_RATE = "targetCategoryRate";
    public static final String CATEGORY_RATE_CORRECT = "categoryRateCorrect";

    /** Every metric name in table order. */
    public static final List<String> NAMES = List.of(RECALL, NDCG, NON_EXIST_RATE, REPEAT_RATE, IN_HISTORY_RATE,
            CORRECT_COUNT, TARGET_CATEGORY_RATE, CATEGORY_RATE_CORRECT);

    /** Metrics that are shares of lists (0..1); the others are average counts per list. */
    public static final Set<String> SHARES = Set.of(RECALL, NDCG, CORRECT_COUNT, CATEGORY_RATE_CORRECT);

    private Metrics() {
    }

    /**
     * The category control a list is judged against: items satisfying {@code inCategory} count as "in
     * C"; {@code rate} and {@code k} are set for the category-share tasks only (rate null otherwise).
     */
    public record Control(IntPredicate inCategory, RateKind rate, int k) {

        public static Control category(IntPredicate inCategory) {
            return new Control(inCategory, null, -1);
        }

        public static Control share(IntPredicate inCategory, RateKind rate, int k) {
            if (rate == null || k < 0) {
                throw new IllegalArgumentException("a share control needs a rule and a non-negative k");
            }
            return new Control(inCategory, rate, k);
        }
    }

    /**
     * What one list scores.
     *
     * @param recall      1 when the target is among the first N items, else 0
     * @param ndcg        1/log2(rank + 2) for the target's 0-based rank among the first N, else 0
     * @param nonExistent titles among the first N that ground to no item
     * @param repeats     items among the first N that an earlier title already named
     * @param inHistory   titles among the first N that name an item of the user's history
     * @param exactCount  whether the whole answer holds exactly N titles
     * @param inCategory  distinct items among the first N that are in C, or -1 when the task has no C
     * @param rateCorrect 1 or 0 whether the share rule holds, or -1 when the task has no share rule
     */
    public record ListScore(double recall, double ndcg, int nonExistent, int repeats, int inHistory,
                            boolean exactCount, int inCategory, int rateCorrect) {
    }

    /** Grounds the titles, then scores them: {@link #score(int[], int, int[], int, Control)}. */
    public static ListScore score(List<String> titles, TitleIndex index, int target, int[] history, int count,
                                  Control control) {
        return score(index.matchAll(titles), target, history, count, control);
    }

    /**
     * Scores one list.
     *
     * @param matched the item of each answer title in answer order (-1: no item), the whole answer
     * @param target  the held-out next item
     * @param history the user's history items (the test history)
     * @param count   N, the number of items asked for
     * @param control the task's category control, or null when it has none
     */
    public static ListScore score(int[] matched, int target, int[] history, int count, Control control) {
        if (count < 1) {
            throw new IllegalArgumentException("N must be at least 1, was " + count);
        }
        int[] first = Arrays.copyOf(matched, Math.min(count, matched.length));
        Set<Integer> historyItems = new HashSet<>();
        Arrays.stream(history).forEach(historyItems::add);
        int rank = -1;
        int nonExistent = 0;
        int repeats = 0;
        int inHistory = 0;
        Set<Integer> seen = new HashSet<>();
        Set<Integer> inCategory = new HashSet<>();
        for (int position = 0; position < first.length; position++) {
            int item = first[position];
            if (item < 0) {
                nonExistent++;
                continue;
            }
            if (!seen.add(item)) {
                repeats++;
            }
            if (historyItems.contains(item)) {
                inHistory++;
            }
            if (item == target && rank < 0) {
                rank = position;
            }
            if (control != null && control.inCategory().test(item)) {
                inCategory.add(item);
            }
        }
        double recall = rank >= 0 ? 1 : 0;
        double ndcg = rank >= 0 ? 1 / log2(rank + 2) : 0;
        int categoryCount = control == null ? -1 : inCategory.size();
        int rateCorrect = control == null || control.rate() == null ? -1
                : rateHolds(control.rate(), categoryCount, nonExistent, control.k()) ? 1 : 0;
        return new ListScore(recall, ndcg, nonExistent, repeats, inHistory, matched.length == count, categoryCount,
                rateCorrect);
    }

    /** The share rules of §6, as {@link RateKind#judged} counts a list against k. */
    public static boolean rateHolds(RateKind rate, int inCategory, int nonExistent, int k) {
        return rate.accepts(rate.judged(inCategory, nonExistent), k);
    }

    private static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }
}
