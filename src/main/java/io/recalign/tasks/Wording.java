package io.recalign.tasks;

import java.util.random.RandomGenerator;

/**
 * Which paraphrase renders a task: the instruction template and the phrasing of its intention or share
 * rule. {@link #FIXED} is the test wording, also used by serving; training draws one at random.
 */
public record Wording(int template, int phrasing) {

    public static final Wording FIXED = new Wording(0, 0);

    public Wording {
        if (template < 0 || phrasing < 0) {
            throw new IllegalArgumentException("wording indices must not be negative");
        }
    }

    /** A training paraphrase of {@code family} drawn uniformly. */
    public static Wording random(TaskFamily family, RandomGenerator rng) {
        return new Wording(rng.nextInt(Templates.templateCount(family)), rng.nextInt(Templates.phrasingCount(family)));
    }
}
