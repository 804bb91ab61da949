package io.recalign.tasks;

/**
 * A category share over a list of {@code count} items, as the number of in-category items it accepts
 * ({@link RateKind#accepts}), and whether a partly built list can still meet it: the question guided
 * decoding and the teacher fallback ask before each item.
 *
 * @param category the category index
 * @param k        the item count the requested fraction means ({@link RateKind#countFor})
 */
public record ShareRule(int category, RateKind kind, int k, int count) {

    public static ShareRule of(int category, RateKind kind, double fraction, int count) {
        return new ShareRule(category, kind, kind.countFor(fraction, count), count);
    }

    /** Fewest in-category items of a complete list that meet the rule. */
    public int fewest() {
        for (int m = 0; m <= count; m++) {
            if (kind.accepts(m, k)) {
                return m;
            }
        }
        return count + 1;
    }

    /** Most in-category items of a complete list that meet the rule (-1 if none does). */
    public int most() {
        for (int m = count; m >= 0; m--) {
            if (kind.accepts(m, k)) {
                return m;
            }
        }
        return -1;
    }

    public boolean accepts(int inCategory) {
        return kind.accepts(inCategory, k);
    }

    /**
     * Whether a list holding {@code in} category items with {@code remaining} places left can be completed
     * to meet the rule from {@code availableIn} category and {@code availableOut} other items.
     */
    boolean reachable(int in, int remaining, int availableIn, int availableOut) {
        if (remaining < 0 || availableIn < 0 || availableOut < 0) {
            return false;
        }
        // x = how many of the remaining places go to category items
        int lowest = Math.max(Math.max(0, fewest() - in), remaining - availableOut);
        int highest = Math.min(Math.min(remaining, most() - in), availableIn);
        return lowest <= highest;
    }

    /** Whether the next item may be a category item and the list still meet the rule. */
    public boolean mayTakeIn(int in, int remaining, int availableIn, int availableOut) {
        return remaining > 0 && reachable(in + 1, remaining - 1, availableIn - 1, availableOut);
    }

    /** Whether the next item may be an item outside the category and the list still meet the rule. */
    public boolean mayTakeOut(int in, int remaining, int availableIn, int availableOut) {
        return remaining > 0 && reachable(in, remaining - 1, availableIn, availableOut - 1);
    }
}
