package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

/** The facts about a catalog that task drafting needs: titles, categories both ways, availability counts. */
final class CatalogView {

    private final CatalogSnapshot snapshot;
    private final int[][] itemCategories;
    private final int[][] categoryItems;

    CatalogView(CatalogSnapshot snapshot) {
        this.snapshot = snapshot;
        int items = snapshot.items().size();
        int categories = snapshot.categories().size();
        this.itemCategories = new int[items][];
        int[] sizes = new int[categories];
        for (int item = 0; item < items; item++) {
            int[] own = snapshot.items().get(item).categories();
            itemCategories[item] = own == null ? new int[0] : Arrays.stream(own).distinct().toArray();
            for (int category : itemCategories[item]) {
                if (category < 0 || category >= categories) {
                    throw new IllegalArgumentException("item " + item + " has unknown category index " + category);
                }
                sizes[category]++;
            }
        }
        this.categoryItems = new int[categories][];
        for (int category = 0; category < categories; category++) {
            categoryItems[category] = new int[sizes[category]];
        }
        int[] filled = new int[categories];
        for (int item = 0; item < items; item++) {
            for (int category : itemCategories[item]) {
                categoryItems[category][filled[category]++] = item;
            }
        }
    }

    CatalogSnapshot snapshot() {
        return snapshot;
    }

    int itemCount() {
        return itemCategories.length;
    }

    int categoryCount() {
        return categoryItems.length;
    }

    String title(int item) {
        return snapshot.items().get(item).title();
    }

    List<String> titles(int[] items) {
        List<String> titles = new ArrayList<>(items.length);
        for (int item : items) {
            titles.add(title(item));
        }
        return titles;
    }

    String categoryName(int category) {
        return snapshot.categories().get(category);
    }

    int[] categories(int item) {
        return itemCategories[item];
    }

    boolean inCategory(int item, int category) {
        for (int own : itemCategories[item]) {
            if (own == category) {
                return true;
            }
        }
        return false;
    }

    /** The most specific category of an item (the last one listed), or -1 when it has none. */
    int deepestCategory(int item) {
        int[] own = itemCategories[item];
        return own.length == 0 ? -1 : own[own.length - 1];
    }

    /** Items in the category that are not among {@code taken}. */
    int availableIn(int category, int[] taken) {
        int count = categoryItems[category].length;
        for (int item : distinct(taken)) {
            if (inCategory(item, category)) {
                count--;
            }
        }
        return count;
    }

    /** Items outside the category that are not among {@code taken}. */
    int availableOutside(int category, int[] taken) {
        int count = itemCount() - categoryItems[category].length;
        for (int item : distinct(taken)) {
            if (!inCategory(item, category)) {
                count--;
            }
        }
        return count;
    }

    /** Items that are not among {@code taken}. */
    int availableAny(int[] taken) {
        return itemCount() - distinct(taken).length;
    }

    /**
     * {@code k} distinct items drawn uniformly among those {@code allowed}, from the category when
     * {@code category >= 0}, else from the whole catalog; {@code available} is how many qualify.
     */
    int[] sample(RandomGenerator rng, int k, int category, IntPredicate allowed, int available) {
        if (k > available) {
            throw new IllegalArgumentException("cannot draw " + k + " items from " + available);
        }
        int poolSize = category >= 0 ? categoryItems[category].length : itemCount();
        int[] drawn = new int[k];
        if ((long) available * 4 >= poolSize) { // dense enough: rejection sampling
            Set<Integer> chosen = new HashSet<>();
            int n = 0;
            while (n < k) {
                int pick = rng.nextInt(poolSize);
                int item = category >= 0 ? categoryItems[category][pick] : pick;
                if (allowed.test(item) && chosen.add(item)) {
                    drawn[n++] = item;
                }
            }
            return drawn;
        }
        int[] pool = (category >= 0 ? Arrays.stream(categoryItems[category])
                : java.util.stream.IntStream.range(0, itemCount())).filter(allowed).toArray();
        for (int i = 0; i < k; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(pool.length - i);
            int swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
            drawn[i] = pool[i];
        }
        return drawn;
    }

    private static int[] distinct(int[] items) {
        return Arrays.stream(items).distinct().toArray();
    }
}
