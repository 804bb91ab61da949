package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** Small random catalogs for property tests: some items without categories, users without repeats. */
final class RandomSnapshots {

    private RandomSnapshots() {
    }

    static CatalogSnapshot generate(long seed) {
        Random random = new Random(seed);
        int categoryCount = 2 + random.nextInt(6);
        List<String> categories = IntStream.range(0, categoryCount).mapToObj(c -> "Genre " + c).toList();
        int itemCount = 25 + random.nextInt(100);
        List<CatalogSnapshot.Item> items = new ArrayList<>();
        for (int item = 0; item < itemCount; item++) {
            int own = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(Math.min(3, categoryCount));
            List<Integer> pool = new ArrayList<>(IntStream.range(0, categoryCount).boxed().toList());
            Collections.shuffle(pool, random);
            int[] itemCategories = pool.subList(0, own).stream().mapToInt(Integer::intValue).toArray();
            items.add(new CatalogSnapshot.Item("m" + item, "Film " + item + " (" + (1950 + random.nextInt(70)) + ")",
                    itemCategories));
        }
        int userCount = 3 + random.nextInt(20);
        List<CatalogSnapshot.UserSequence> users = new ArrayList<>();
        for (int user = 0; user < userCount; user++) {
            List<Integer> pool = new ArrayList<>(IntStream.range(0, itemCount).boxed().toList());
            Collections.shuffle(pool, random);
            int length = 3 + random.nextInt(23);
            users.add(new CatalogSnapshot.UserSequence("u" + user,
                    pool.subList(0, length).stream().mapToInt(Integer::intValue).toArray()));
        }
        return new CatalogSnapshot("synthetic-" + seed, items, categories, users);
    }
}
