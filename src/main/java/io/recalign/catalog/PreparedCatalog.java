package io.recalign.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dataset after the data protocol, ready to store: categories and items densely indexed, and each
 * user's ordered sequence laid out one after another ({@code sequenceStarts[u]} to
 * {@code sequenceStarts[u + 1]} in the interaction arrays).
 */
record PreparedCatalog(
        List<String> categories,
        List<CatalogSnapshot.Item> items,
        List<String> userIds,
        int[] sequenceStarts,
        int[] sequenceItems,
        long[] timestamps,
        float[] ratings) {

    PreparedCatalog {
        categories = List.copyOf(categories);
        items = List.copyOf(items);
        userIds = List.copyOf(userIds);
        if (sequenceStarts.length != userIds.size() + 1
                || sequenceItems.length != sequenceStarts[userIds.size()]
                || timestamps.length != sequenceItems.length
                || ratings.length != sequenceItems.length) {
            throw new IllegalArgumentException("sequence arrays do not match the user list");
        }
    }

    int interactionCount() {
        return sequenceItems.length;
    }

    int sequenceLength(int user) {
        return sequenceStarts[user + 1] - sequenceStarts[user];
    }

    CatalogSnapshot toSnapshot(String dataset) {
        List<CatalogSnapshot.UserSequence> users = new ArrayList<>(userIds.size());
        for (int u = 0; u < userIds.size(); u++) {
            users.add(new CatalogSnapshot.UserSequence(userIds.get(u),
                    Arrays.copyOfRange(sequenceItems, sequenceStarts[u], sequenceStarts[u + 1])));
        }
        return new CatalogSnapshot(dataset, items, categories, users);
    }
}
