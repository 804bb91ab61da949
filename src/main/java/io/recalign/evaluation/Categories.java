package io.recalign.evaluation;

import io.recalign.catalog.CatalogSnapshot;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The category facts the test tasks and metrics read: each item's categories, each category's size,
 * and the "deepest" category of an item.
 *
 * <p>The method takes C of +C (and of the MP and EP share tasks) as the target's deepest category, a
 * notion of hierarchical category paths. Catalogs such as MovieLens list flat genres instead, so here the
 * deepest category of an item is its most specific one: the category of the item that holds the fewest
 * items in the catalog (ties go to the lower category index). On a path-shaped list it is the leaf too,
 * since a leaf never holds more items than its parent.
 */
final class Categories {

    private final int[][] itemCategories;
    private final int[] sizes;

    Categories(CatalogSnapshot snapshot) {
        int items = snapshot.items().size();
        this.sizes = new int[snapshot.categories().size()];
        this.itemCategories = new int[items][];
        for (int item = 0; item < items; item++) {
            int[] own = snapshot.items().get(item).categories();
            itemCategories[item] = own == null ? new int[0] : Arrays.stream(own).distinct().sorted().toArray();
            for (int category : itemCategories[item]) {
                if (category < 0 || category >= sizes.length) {
                    throw new IllegalArgumentException("item " + item + " has unknown category index " + category);
                }
                sizes[category]++;
            }
        }
    }

    int itemCount() {
        return itemCategories.length;
    }

    int categoryCount() {
        return sizes.length;
    }

    int size(int category) {
        return sizes[category];
    }

    int[] of(int item) {
        return itemCategories[item];
    }

    boolean contains(int category, int item) {
        return Arrays.binarySearch(itemCategories[item], category) >= 0;
    }

    /** The item's least frequent category, or -1 when it has none. */
    int deepest(int item) {
        int best = -1;
        for (int category : itemCategories[item]) {
            if (best < 0 || sizes[category] < sizes[best]) {
                best = category;
            }
        }
        return best;
    }

    /** The category that holds the most items (lowest index among ties), or -1 without categories. */
    int largest() {
        int best = -1;
        for (int category = 0; category < sizes.length; category++) {
            if (best < 0 || sizes[category] > sizes[best]) {
                best = category;
            }
        }
        return best;
    }

    /**
     * The category most frequent among {@code items} (each item counted once per category it has),
     * skipping {@code excluded} categories; the lowest index among ties; -1 when none qualifies.
     */
    int mostFrequentAmong(int[] items, int[] excluded) {
        int[] counts = new int[sizes.length];
        for (int item : items) {
            if (item >= 0) {
                for (int category : itemCategories[item]) {
                    counts[category]++;
                }
            }
        }
        Set<Integer> skip = new HashSet<>();
        Arrays.stream(excluded).forEach(skip::add);
        int best = -1;
        for (int category = 0; category < counts.length; category++) {
            if (counts[category] > 0 && !skip.contains(category) && (best < 0 || counts[category] > counts[best])) {
                best = category;
            }
        }
        return best;
    }

    /** Items in (or outside) the category that are not among {@code taken}. */
    int available(int category, boolean inside, int[] taken) {
        int count = inside ? sizes[category] : itemCategories.length - sizes[category];
        for (int item : Arrays.stream(taken).distinct().toArray()) {
            if (contains(category, item) == inside) {
                count--;
            }
        }
        return count;
    }
}
