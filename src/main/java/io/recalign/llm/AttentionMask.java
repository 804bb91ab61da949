package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Additive attention masks: 0 where a query may see a key, a huge negative number where not. */
final class AttentionMask {

    /** Finite, so a query that sees no key (a padding row) gets uniform weights instead of NaN. */
    static final float BLOCKED = -Float.MAX_VALUE;

    private AttentionMask() {
    }

    /**
     * The mask for {@code length} new queries after {@code past} cached positions, shaped
     * (B or 1, 1, G·T, S) to match the grouped scores; query t sees keys 0..past+t that are valid.
     *
     * @param validKeys per sequence, which of the S = past + length key positions hold real tokens
     *                  (false for padding); null when all do
     * @return null when nothing is masked (one new query and no padding)
     */
    static NDArray build(NDManager manager, boolean[][] validKeys, int length, int past, int groups) {
        int keys = past + length;
        if (validKeys == null && length == 1) {
            return null;
        }
        int rows = validKeys == null ? 1 : validKeys.length;
        int queryRows = groups * length;
        float[] mask = new float[rows * queryRows * keys];
        for (int b = 0; b < rows; b++) {
            for (int g = 0; g < groups; g++) {
                for (int t = 0; t < length; t++) {
                    int offset = ((b * groups + g) * length + t) * keys;
                    for (int s = 0; s < keys; s++) {
                        boolean visible = s <= past + t && (validKeys == null || validKeys[b][s]);
                        mask[offset + s] = visible ? 0 : BLOCKED;
                    }
                }
            }
        }
        return manager.create(mask, new Shape(rows, 1, queryRows, keys));
    }
}
