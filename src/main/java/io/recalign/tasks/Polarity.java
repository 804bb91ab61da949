package io.recalign.tasks;

/** Whether an intention asks for a category (positive) or against it (negative). */
public enum Polarity {
    POSITIVE,
    NEGATIVE
}
