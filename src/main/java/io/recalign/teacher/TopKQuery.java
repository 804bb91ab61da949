package io.recalign.teacher;

import java.util.Objects;

/**
 * One "best k items" question. History items are always masked; {@code exclude} masks more items;
 * a non-null {@code candidates} restricts the answer to those items.
 */
public record TopKQuery(int[] history, int k, CategoryConstraint constraint, int[] exclude, int[] candidates) {

    public TopKQuery {
        Objects.requireNonNull(history, "history");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        constraint = constraint == null ? CategoryConstraint.NONE : constraint;
        exclude = exclude == null ? new int[0] : exclude;
    }

    public static TopKQuery of(int[] history, int k) {
        return new TopKQuery(history, k, CategoryConstraint.NONE, null, null);
    }

    public static TopKQuery of(int[] history, int k, CategoryConstraint constraint) {
        return new TopKQuery(history, k, constraint, null, null);
    }
}
