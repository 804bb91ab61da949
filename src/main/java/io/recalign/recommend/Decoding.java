package io.recalign.recommend;

import io.recalign.system.BadRequestException;
import java.util.Locale;

/** How an answer is generated: guided by the catalog and the controls, or free and checked afterwards. */
enum Decoding {
    GUIDED,
    FREE;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a request names; guided when it names none. */
    static Decoding of(String label) {
        if (label == null) {
            return GUIDED;
        }
        for (Decoding decoding : values()) {
            if (decoding.label().equals(label)) {
                return decoding;
            }
        }
        throw new BadRequestException("decoding must be 'guided' or 'free', was '" + label + "'");
    }
}
