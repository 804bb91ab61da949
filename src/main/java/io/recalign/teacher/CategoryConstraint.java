package io.recalign.teacher;

import java.util.Arrays;
import java.util.Objects;

/** Which categories a recommended item may have: any, only those IN a set (+C), or NOT IN it (-C). */
public record CategoryConstraint(Mode mode, int[] categories) {

    public enum Mode { NONE, IN, NOT_IN }

    public static final CategoryConstraint NONE = new CategoryConstraint(Mode.NONE, new int[0]);

    public CategoryConstraint {
        Objects.requireNonNull(mode, "mode");
        categories = categories == null ? new int[0] : categories.clone();
        if (mode != Mode.NONE && categories.length == 0) {
            throw new IllegalArgumentException(mode + " constraint needs at least one category");
        }
    }

    public static CategoryConstraint in(int... categories) {
        return new CategoryConstraint(Mode.IN, categories);
    }

    public static CategoryConstraint notIn(int... categories) {
        return new CategoryConstraint(Mode.NOT_IN, categories);
    }

    /** Whether an item with these category indices satisfies the constraint. */
    public boolean allows(int[] itemCategories) {
        if (mode == Mode.NONE) {
            return true;
        }
        boolean hit = Arrays.stream(itemCategories).anyMatch(c -> Arrays.stream(categories).anyMatch(k -> k == c));
        return mode == Mode.IN ? hit : !hit;
    }
}
