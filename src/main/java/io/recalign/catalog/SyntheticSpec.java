package io.recalign.catalog;

/** Size and seed of a generated catalog; the same spec always yields the same catalog. */
public record SyntheticSpec(int users, int items, int interactionsPerUser, long seed) {

    public static final int DEFAULT_USERS = 200;
    public static final int DEFAULT_ITEMS = 300;
    public static final int DEFAULT_INTERACTIONS_PER_USER = 30;
    public static final long DEFAULT_SEED = 42;
    /** Readable titles come from a finite vocabulary; beyond this many they would start to repeat. */
    public static final int MAX_ITEMS = 50_000;
    /** Bounds that keep a generated catalog within what an import of a real catalog holds. */
    public static final int MAX_USERS = 1_000_000;
    public static final long MAX_INTERACTIONS = 25_000_000;

    public SyntheticSpec {
        if (users < 1 || users > MAX_USERS) {
            throw new InvalidDatasetException("users must be between 1 and " + MAX_USERS + ", was " + users);
        }
        if (items < 20 || items > MAX_ITEMS) {
            throw new InvalidDatasetException("items must be between 20 and " + MAX_ITEMS + ", was " + items);
        }
        if (interactionsPerUser < DataProtocol.DEFAULT_MIN_COUNT || interactionsPerUser > items / 2) {
            throw new InvalidDatasetException("interactions per user must be between " + DataProtocol.DEFAULT_MIN_COUNT
                    + " and half the items (" + items / 2 + "), was " + interactionsPerUser);
        }
        if ((long) users * interactionsPerUser > MAX_INTERACTIONS) {
            throw new InvalidDatasetException("users x interactions per user must be at most " + MAX_INTERACTIONS
                    + " (the size of MovieLens 25M), was " + (long) users * interactionsPerUser);
        }
    }

    public static SyntheticSpec defaults() {
        return new SyntheticSpec(DEFAULT_USERS, DEFAULT_ITEMS, DEFAULT_INTERACTIONS_PER_USER, DEFAULT_SEED);
    }

    /** A one-line description stored as the dataset's source. */
    String describe() {
        return "synthetic: " + users + " users, " + items + " items, ~" + interactionsPerUser
                + " interactions per user, seed " + seed;
    }
}
