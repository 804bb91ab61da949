package io.recalign.teacher;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates small catalogs with learnable sequential structure: each item has a fixed successor that
 * users mostly move to next (item-to-item transitions), and each user prefers one category (category
 * affinity). A sequence model can exploit both; a popularity ranking cannot.
 */
final class SyntheticCatalog {

    private SyntheticCatalog() {
    }

    static CatalogSnapshot generate(int items, int categories, int users, int length, long seed) {
        Random random = new Random(seed);
        List<CatalogSnapshot.Item> catalog = new ArrayList<>();
        List<List<Integer>> byCategory = new ArrayList<>();
        for (int c = 0; c < categories; c++) {
            byCategory.add(new ArrayList<>());
        }
        for (int item = 0; item < items; item++) {
            int primary = item % categories;
            int[] itemCategories = random.nextInt(4) == 0
                    ? new int[] {primary, (primary + 1 + random.nextInt(categories - 1)) % categories}
                    : new int[] {primary};
            for (int c : itemCategories) {
                byCategory.get(c).add(item);
            }
            catalog.add(new CatalogSnapshot.Item("i" + item, "Item " + item, itemCategories));
        }
        int[] successor = new int[items];
        for (int item = 0; item < items; item++) {
            List<Integer> sameCategory = byCategory.get(item % categories);
            successor[item] = sameCategory.get(random.nextInt(sameCategory.size()));
            if (successor[item] == item) {
                successor[item] = (item + categories) % items;
            }
        }
        List<String> categoryNames = new ArrayList<>();
        for (int c = 0; c < categories; c++) {
            categoryNames.add("category " + c);
        }
        List<CatalogSnapshot.UserSequence> sequences = new ArrayList<>();
        for (int user = 0; user < users; user++) {
            List<Integer> favourite = byCategory.get(random.nextInt(categories));
            int[] sequence = new int[length];
            sequence[0] = favourite.get(random.nextInt(favourite.size()));
            for (int i = 1; i < length; i++) {
                double draw = random.nextDouble();
                sequence[i] = draw < 0.75 ? successor[sequence[i - 1]]
                        : draw < 0.9 ? favourite.get(random.nextInt(favourite.size()))
                        : random.nextInt(items);
            }
            sequences.add(new CatalogSnapshot.UserSequence("u" + user, sequence));
        }
        return new CatalogSnapshot("synthetic", catalog, categoryNames, sequences);
    }
}
