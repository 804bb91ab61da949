package io.recalign.evaluation;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small hand-shaped catalogs for evaluation tests. */
final class EvaluationFixtures {

    static final List<String> CATEGORIES = List.of("Drama", "Comedy", "Film-Noir", "Horror");

    private EvaluationFixtures() {
    }

    /**
     * 40 items: every item is a Drama, odd items also Comedy, items divisible by 5 also Film-Noir (the
     * rarest), items 30..39 Horror only, item 39 without category; 11 users with 15 random items each, and one user whose test
     * target is item 39.
     */
    static CatalogSnapshot catalog() {
        List<CatalogSnapshot.Item> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int[] categories;
            if (i == 39) {
                categories = new int[0];
            } else if (i >= 30) {
                categories = new int[] {3};
            } else {
                List<Integer> own = new ArrayList<>(List.of(0));
                if (i % 2 == 1) {
                    own.add(1);
                }
                if (i % 5 == 0) {
                    own.add(2);
                }
                categories = own.stream().mapToInt(Integer::intValue).toArray();
            }
            items.add(new CatalogSnapshot.Item("i" + i, "Movie number " + i + " (" + (1950 + i) + ")", categories));
        }
        Random random = new Random(3);
        List<CatalogSnapshot.UserSequence> users = new ArrayList<>();
        for (int u = 0; u < 11; u++) {
            int[] sequence = random.ints(0, 39).distinct().limit(15).toArray();
            users.add(new CatalogSnapshot.UserSequence("u" + u, sequence));
        }
        users.add(new CatalogSnapshot.UserSequence("no-category-target", new int[] {1, 2, 3, 4, 39}));
        return new CatalogSnapshot("fixture", items, CATEGORIES, users);
    }

    /**
     * A catalog a sequential recommender can learn: each item has a fixed successor in its category that
     * users follow most of the time, and each user favours one category. Titles are distinct words.
     */
    static CatalogSnapshot structured(int itemCount, int userCount, int length, long seed) {
        Random random = new Random(seed);
        int categoryCount = CATEGORIES.size();
        List<CatalogSnapshot.Item> items = new ArrayList<>();
        for (int i = 0; i < itemCount; i++) {
            int primary = i % categoryCount;
            int[] categories = random.nextInt(4) == 0
                    ? new int[] {primary, (primary + 1 + random.nextInt(categoryCount - 1)) % categoryCount}
                    : new int[] {primary};
            items.add(new CatalogSnapshot.Item("s" + i, "Picture " + Integer.toString(i, 36).toUpperCase()
                    + " of " + (1900 + i), categories));
        }
        int[] successor = new int[itemCount];
        for (int i = 0; i < itemCount; i++) {
            int next = (i + categoryCount * (1 + random.nextInt(3))) % itemCount;
            successor[i] = next == i ? (i + 1) % itemCount : next;
        }
        List<CatalogSnapshot.UserSequence> users = new ArrayList<>();
        for (int u = 0; u < userCount; u++) {
            int favourite = random.nextInt(categoryCount);
            int[] sequence = new int[length];
            sequence[0] = favourite + categoryCount * random.nextInt(itemCount / categoryCount);
            for (int t = 1; t < length; t++) {
                double draw = random.nextDouble();
                sequence[t] = draw < 0.8 ? successor[sequence[t - 1]]
                        : draw < 0.95 ? favourite + categoryCount * random.nextInt(itemCount / categoryCount)
                        : random.nextInt(itemCount);
            }
            users.add(new CatalogSnapshot.UserSequence("s" + u, sequence));
        }
        return new CatalogSnapshot("structured", items, CATEGORIES, users);
    }
}
