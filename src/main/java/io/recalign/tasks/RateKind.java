package io.recalign.tasks;

/** The three category-share rules of PersonalCategoryRate: at most (LP), at least (MP), about (EP). */
public enum RateKind {
    AT_MOST("LP"),
    AT_LEAST("MP"),
    ABOUT("EP");

    private final String shortName;

    RateKind(String shortName) {
        this.shortName = shortName;
    }

    /** The paper's abbreviation: LP, MP or EP. */
    public String shortName() {
        return shortName;
    }

    public TaskFamily family() {
        return switch (this) {
            case AT_MOST -> TaskFamily.RATE_AT_MOST;
            case AT_LEAST -> TaskFamily.RATE_AT_LEAST;
            case ABOUT -> TaskFamily.RATE_ABOUT;
        };
    }

    /**
     * The item count k that a requested fraction of a list of {@code listSize} items means under this
     * rule: rounded towards what the user allows (down for at most, up for at least, nearest for about).
     */
    public int countFor(double fraction, int listSize) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a category share is a fraction between 0 and 1, was " + fraction);
        }
        double exact = fraction * listSize;
        // 1e-9 absorbs binary noise such as 0.3 * 10 = 3.0000000000000004
        return switch (this) {
            case AT_MOST -> (int) Math.floor(exact + 1e-9);
            case AT_LEAST -> (int) Math.ceil(exact - 1e-9);
            case ABOUT -> (int) Math.round(exact);
        };
    }

    /**
     * The count a list is judged by against k (method §6): its distinct named items of C, whether or not
     * the user has seen them, and under at most also its titles that name no item, so that a list cannot
     * keep under a limit by naming nothing.
     */
    public int judged(int inCategory, int nameless) {
        return this == AT_MOST ? inCategory + nameless : inCategory;
    }

    /** Whether {@code inCategory} items of the list meet the rule for k (about: within one of k). */
    public boolean accepts(int inCategory, int k) {
        return switch (this) {
            case AT_MOST -> inCategory <= k;
            case AT_LEAST -> inCategory >= k;
            case ABOUT -> Math.abs(inCategory - k) <= 1;
        };
    }
}
