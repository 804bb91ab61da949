package io.recalign.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data protocol every dataset goes through (method §1): one interaction per row, each user's
 * interactions ordered by timestamp with ties in source row order, iterative k-core filtering,
 * leave-one-out split and unique titles.
 */
final class DataProtocol {

    static final int DEFAULT_MIN_COUNT = 5;
    /** Leave-one-out needs a training item, a validation target and a test target. */
    static final int SMALLEST_MIN_COUNT = 3;
    /** MovieLens writes this instead of an empty genre list; it means "no category". */
    static final String NO_CATEGORY = "(no genres listed)";

    private DataProtocol() {
    }

    static PreparedCatalog apply(SourceCatalog source, int minCount) {
        if (minCount < SMALLEST_MIN_COUNT) {
            throw new InvalidDatasetException("min-count must be at least " + SMALLEST_MIN_COUNT
                    + " (each user needs a training item, a validation and a test target), was " + minCount);
        }
        boolean[] kept = kCore(source, minCount);
        int[] itemMap = keptIndices(source.items().size(), source, kept, false);
        int[] userMap = keptIndices(source.userIds().size(), source, kept, true);
        int keptUsers = count(userMap);
        if (keptUsers == 0) {
            throw new InvalidDatasetException("nothing left after the " + minCount + "-core filter ("
                    + source.rows() + " interactions, " + source.userIds().size() + " users, "
                    + source.items().size() + " items before filtering)");
        }

        List<SourceCatalog.Item> keptItems = new ArrayList<>();
        for (int i = 0; i < itemMap.length; i++) {
            if (itemMap[i] >= 0) {
                keptItems.add(source.items().get(i));
            }
        }
        Map<String, Integer> categoryIndex = new LinkedHashMap<>();
        List<String> titles = uniqueTitles(keptItems.stream().map(SourceCatalog.Item::title).toList());
        List<CatalogSnapshot.Item> items = new ArrayList<>(keptItems.size());
        for (int i = 0; i < keptItems.size(); i++) {
            SourceCatalog.Item item = keptItems.get(i);
            items.add(new CatalogSnapshot.Item(item.externalId(), titles.get(i), categoryIndices(item, categoryIndex)));
        }

        List<String> userIds = new ArrayList<>(keptUsers);
        for (int u = 0; u < userMap.length; u++) {
            if (userMap[u] >= 0) {
                userIds.add(source.userIds().get(u));
            }
        }
        return sequences(source, kept, itemMap, userMap, new ArrayList<>(categoryIndex.keySet()), items, userIds);
    }

    /**
     * Iterative k-core: drops users and items with fewer than {@code minCount} interactions until no
     * more drop. Returns which source rows survive.
     */
    static boolean[] kCore(SourceCatalog source, int minCount) {
        int rows = source.rows();
        boolean[] kept = new boolean[rows];
        java.util.Arrays.fill(kept, true);
        int[] userCounts = new int[source.userIds().size()];
        int[] itemCounts = new int[source.items().size()];
        for (int r = 0; r < rows; r++) {
            userCounts[source.user(r)]++;
            itemCounts[source.item(r)]++;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            // Counts of this pass are decided before any row drops, so one pass removes exactly the
            // users and items that are below k at its start.
            boolean[] userBelow = below(userCounts, minCount);
            boolean[] itemBelow = below(itemCounts, minCount);
            for (int r = 0; r < rows; r++) {
                if (kept[r] && (userBelow[source.user(r)] || itemBelow[source.item(r)])) {
                    kept[r] = false;
                    userCounts[source.user(r)]--;
                    itemCounts[source.item(r)]--;
                    changed = true;
                }
            }
        }
        return kept;
    }

    private static boolean[] below(int[] counts, int minCount) {
        boolean[] below = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            below[i] = counts[i] < minCount;
        }
        return below;
    }

    /** New dense index of each user (or item) that keeps at least one row, -1 for the dropped ones. */
    private static int[] keptIndices(int size, SourceCatalog source, boolean[] kept, boolean users) {
        boolean[] present = new boolean[size];
        for (int r = 0; r < kept.length; r++) {
            if (kept[r]) {
                present[users ? source.user(r) : source.item(r)] = true;
            }
        }
        int[] map = new int[size];
        int next = 0;
        for (int i = 0; i < size; i++) {
            map[i] = present[i] ? next++ : -1;
        }
        return map;
    }

    private static int count(int[] map) {
        int n = 0;
        for (int index : map) {
            if (index >= 0) {
                n++;
            }
        }
        return n;
    }

    /** Titles in item order; the n-th use of a title becomes "title (n)" (or the next free number). */
    static List<String> uniqueTitles(List<String> titles) {
        Set<String> used = new HashSet<>();
        Map<String, Integer> occurrences = new HashMap<>();
        List<String> unique = new ArrayList<>(titles.size());
        for (String title : titles) {
            int occurrence = occurrences.merge(title, 1, Integer::sum);
            String candidate = occurrence == 1 ? title : title + " (" + occurrence + ")";
            while (!used.add(candidate)) {
                occurrence++;
                candidate = title + " (" + occurrence + ")";
            }
            occurrences.put(title, occurrence);
            unique.add(candidate);
        }
        return unique;
    }

    /** Category indices of an item, registering new categories in order of first appearance. */
    private static int[] categoryIndices(SourceCatalog.Item item, Map<String, Integer> categoryIndex) {
        return item.categories().stream()
                .filter(name -> !name.isBlank() && !NO_CATEGORY.equals(name))
                .distinct()
                .mapToInt(name -> categoryIndex.computeIfAbsent(name, n -> categoryIndex.size()))
                .toArray();
    }

    /** Groups the kept rows by user (row order preserved), then orders each user's rows by timestamp. */
    private static PreparedCatalog sequences(SourceCatalog source, boolean[] kept, int[] itemMap, int[] userMap,
            List<String> categories, List<CatalogSnapshot.Item> items, List<String> userIds) {
        int users = userIds.size();
        int[] starts = new int[users + 1];
        for (int r = 0; r < kept.length; r++) {
            if (kept[r]) {
                starts[userMap[source.user(r)] + 1]++;
            }
        }
        for (int u = 0; u < users; u++) {
            starts[u + 1] += starts[u];
        }
        int total = starts[users];
        int[] rowsByUser = new int[total];
        int[] fill = java.util.Arrays.copyOf(starts, users);
        for (int r = 0; r < kept.length; r++) {
            if (kept[r]) {
                rowsByUser[fill[userMap[source.user(r)]]++] = r;
            }
        }
        long[] rowTimestamps = new long[total];
        for (int i = 0; i < total; i++) {
            rowTimestamps[i] = source.timestamp(rowsByUser[i]);
        }
        int[] scratch = new int[total];
        long[] scratchKeys = new long[total];
        for (int u = 0; u < users; u++) {
            StableSort.byKey(rowsByUser, rowTimestamps, starts[u], starts[u + 1], scratch, scratchKeys);
        }
        int[] sequenceItems = new int[total];
        float[] ratings = new float[total];
        for (int i = 0; i < total; i++) {
            sequenceItems[i] = itemMap[source.item(rowsByUser[i])];
            ratings[i] = source.rating(rowsByUser[i]);
        }
        return new PreparedCatalog(categories, items, userIds, starts, sequenceItems, rowTimestamps, ratings);
    }
}
