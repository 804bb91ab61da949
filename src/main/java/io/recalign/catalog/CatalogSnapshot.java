package io.recalign.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An immutable, dense-indexed view of one dataset after the data protocol: what the teacher, the task
 * builders and evaluation read. Items are numbered 0..items-1 and categories 0..categories-1 in the
 * order stored; each user's sequence is ordered (timestamp, then source row) and already k-core filtered.
 *
 * <p>Leave-one-out split: the last item is the test target, the second-to-last the validation target,
 * the rest the training sequence.
 *
 * <p>{@code index} holds the lookups by external id, title and category name; it is built from the
 * other components (pass null, or use the four-argument constructor).
 */
public record CatalogSnapshot(String dataset, List<Item> items, List<String> categories, List<UserSequence> users,
        Index index) {

    public CatalogSnapshot {
        Objects.requireNonNull(dataset, "dataset");
        items = List.copyOf(items);
        categories = List.copyOf(categories);
        users = List.copyOf(users);
        index = new Index(items, categories, users);
    }

    public CatalogSnapshot(String dataset, List<Item> items, List<String> categories, List<UserSequence> users) {
        this(dataset, items, categories, users, null);
    }

    /** Dense index of the item with this external id. */
    public OptionalInt itemByExternalId(String externalId) {
        return lookup(index.itemsByExternalId, externalId);
    }

    /** Dense index of the item with exactly this (unique) title. */
    public OptionalInt itemByTitle(String title) {
        return lookup(index.itemsByTitle, title);
    }

    /** Dense index of the user with this external id. */
    public OptionalInt userByExternalId(String externalId) {
        return lookup(index.usersByExternalId, externalId);
    }

    /** Index of the category with this name. */
    public OptionalInt categoryByName(String name) {
        return lookup(index.categoriesByName, name);
    }

    private static OptionalInt lookup(Map<String, Integer> map, String key) {
        Integer value = map.get(key);
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /** Lookups by name, derived from the snapshot's lists (never passed in from outside). */
    public static final class Index {
        private final Map<String, Integer> itemsByExternalId;
        private final Map<String, Integer> itemsByTitle;
        private final Map<String, Integer> usersByExternalId;
        private final Map<String, Integer> categoriesByName;

        private Index(List<Item> items, List<String> categories, List<UserSequence> users) {
            itemsByExternalId = new HashMap<>(items.size() * 2);
            itemsByTitle = new HashMap<>(items.size() * 2);
            for (int i = 0; i < items.size(); i++) {
                itemsByExternalId.put(items.get(i).externalId(), i);
                itemsByTitle.put(items.get(i).title(), i);
            }
            usersByExternalId = new HashMap<>(users.size() * 2);
            for (int u = 0; u < users.size(); u++) {
                usersByExternalId.put(users.get(u).externalId(), u);
            }
            categoriesByName = new HashMap<>();
            for (int c = 0; c < categories.size(); c++) {
                categoriesByName.put(categories.get(c), c);
            }
        }

        @Override
        public String toString() {
            return "Index[" + itemsByExternalId.size() + " items, " + usersByExternalId.size() + " users]";
        }
    }

    /** An item: its dataset-scoped external id, unique title and category indices. */
    public record Item(String externalId, String title, int[] categories) {
    }

    /** A user's full ordered sequence of item indices (at least three long after filtering). */
    public record UserSequence(String externalId, int[] items) {

        public int[] training() {
            return java.util.Arrays.copyOf(items, items.length - 2);
        }

        public int validationTarget() {
            return items[items.length - 2];
        }

        public int testTarget() {
            return items[items.length - 1];
        }

        /** History that precedes the validation target (the training sequence). */
        public int[] validationHistory() {
            return training();
        }

        /** History that precedes the test target (training sequence plus the validation target). */
        public int[] testHistory() {
            return java.util.Arrays.copyOf(items, items.length - 1);
        }
    }
}
