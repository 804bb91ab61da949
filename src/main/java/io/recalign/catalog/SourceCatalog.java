package io.recalign.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset as read from its source, before the data protocol: items in source order and one row per
 * interaction in source row order. Interactions are stored column by column so that tens of millions
 * of rows stay compact.
 */
final class SourceCatalog {

    /** An item as the source lists it; categories may still contain the "no category" marker. */
    record Item(String externalId, String title, List<String> categories) {
        Item {
            Objects.requireNonNull(externalId, "externalId");
            Objects.requireNonNull(title, "title");
            categories = List.copyOf(categories);
        }
    }

    private final List<Item> items = new ArrayList<>();
    private final Map<String, Integer> itemIndex = new HashMap<>();
    private final List<String> userIds = new ArrayList<>();
    private final Map<String, Integer> userIndex = new HashMap<>();
    private int[] users = new int[1024];
    private int[] rowItems = new int[1024];
    private long[] timestamps = new long[1024];
    private float[] ratings = new float[1024];
    private int rows;

    /** Adds an item; returns false (and adds nothing) when its external id is already present. */
    boolean addItem(String externalId, String title, List<String> categories) {
        if (itemIndex.putIfAbsent(externalId, items.size()) != null) {
            return false;
        }
        items.add(new Item(externalId, title, categories));
        return true;
    }

    /** Dense index of an item by external id, or -1 when the source lists no such item. */
    int itemIndex(String externalId) {
        return itemIndex.getOrDefault(externalId, -1);
    }

    /** Appends one interaction; {@code rating} is NaN when the source has none. */
    void addInteraction(String userId, int item, long timestamp, float rating) {
        Objects.checkIndex(item, items.size());
        if (rows == users.length) {
            int capacity = rows * 2;
            users = Arrays.copyOf(users, capacity);
            rowItems = Arrays.copyOf(rowItems, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            ratings = Arrays.copyOf(ratings, capacity);
        }
        Integer user = userIndex.get(userId);
        if (user == null) {
            user = userIds.size();
            userIndex.put(userId, user);
            userIds.add(userId);
        }
        users[rows] = user;
        rowItems[rows] = item;
        timestamps[rows] = timestamp;
        ratings[rows] = rating;
        rows++;
    }

    List<Item> items() {
        return items;
    }

    /** User external ids in order of first appearance. */
    List<String> userIds() {
        return userIds;
    }

    int rows() {
        return rows;
    }

    int user(int row) {
        return users[row];
    }

    int item(int row) {
        return rowItems[row];
    }

    long timestamp(int row) {
        return timestamps[row];
    }

    float rating(int row) {
        return ratings[row];
    }
}
