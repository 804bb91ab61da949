package io.recalign.catalog;

import java.util.List;
import java.util.Objects;

/**
 * An immutable, dense-indexed view of one dataset after the data protocol: what the teacher, the task
 * builders and evaluation read. Items are numbered 0..items-1 and categories 0..categories-1 in the
 * order stored; each user's sequence is ordered (timestamp, then source row) and already k-core filtered.
 *
 * <p>Leave-one-out split: the last item is the test target, the second-to-last the validation target,
 * the rest the training sequence.
 */
public record CatalogSnapshot(String dataset, List<Item> items, List<String> categories, List<UserSequence> users) {

    public CatalogSnapshot {
        Objects.requireNonNull(dataset, "dataset");
        items = List.copyOf(items);
        categories = List.copyOf(categories);
        users = List.copyOf(users);
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
