package io.recalign.tasks;

/** Which part of the leave-one-out protocol an example comes from. */
public enum Split {
    TRAIN,
    VALID,
    TEST;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
