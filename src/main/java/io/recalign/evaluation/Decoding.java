package io.recalign.evaluation;

import java.util.Locale;

/**
 * How the evaluated answers were produced: the teacher's constrained top-K, or a language model's free
 * or guided (catalog- and control-constrained) greedy decoding.
 */
public enum Decoding {
    TOP_K("top-k"),
    FREE("free"),
    GUIDED("guided");

    private final String label;

    Decoding(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The decoding a request names: {@code free} or {@code guided} (the teacher's top-K is implied by the model). */
    public static Decoding ofLabel(String label) {
        for (Decoding decoding : values()) {
            if (decoding.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
                return decoding;
            }
        }
        throw new IllegalArgumentException("decoding must be 'free' or 'guided', was '" + label + "'");
    }
}
