package io.recalign.catalog;

/** Which part of the leave-one-out split an interaction belongs to. */
public enum Split {
    TRAIN("train"), VALID("valid"), TEST("test");

    private final String label;

    Split(String label) {
        this.label = label;
    }

    /** The label stored in the database and shown to users. */
    public String label() {
        return label;
    }

    /** Last position = test target, second-to-last = validation target, the rest = training. */
    public static Split of(int position, int sequenceLength) {
        if (position == sequenceLength - 1) {
            return TEST;
        }
        return position == sequenceLength - 2 ? VALID : TRAIN;
    }

    public static Split fromLabel(String label) {
        for (Split split : values()) {
            if (split.label.equals(label)) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split " + label);
    }
}
