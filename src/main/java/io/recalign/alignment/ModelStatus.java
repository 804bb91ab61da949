package io.recalign.alignment;

/** Where a registered model stands; only {@link #READY} models have a complete directory and load. */
public enum ModelStatus {
    TRAINING,
    READY,
    FAILED,
    CANCELLED
}
