package io.recalign.tasks;

import java.util.Objects;

/** A stated category preference: "I like 'C' items" (positive) or "Please exclude any 'C' item" (negative). */
public record Intention(Polarity polarity, String category) {

    public Intention {
        Objects.requireNonNull(polarity, "polarity");
        Require.text(category, "category");
    }

    public static Intention like(String category) {
        return new Intention(Polarity.POSITIVE, category);
    }

    public static Intention avoid(String category) {
        return new Intention(Polarity.NEGATIVE, category);
    }
}
