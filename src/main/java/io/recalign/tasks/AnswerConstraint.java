package io.recalign.tasks;

import java.util.Arrays;

/** What one sequence of a batch may generate next: guided (the catalog and the controls) or free (a token budget). */
public interface AnswerConstraint {

    /**
     * Masks the logits of the next token.
     *
     * @param generated the tokens generated so far, one more than at the previous call
     */
    void constrain(int[] generated, float[] logits);

    /** Most tokens the answer may take, the end of sequence included. */
    int budget();

    /** Sets every logit to negative infinity except those of the first {@code count} of {@code tokens}. */
    static void keepOnly(float[] logits, int[] tokens, int count) {
        float[] kept = new float[count];
        for (int i = 0; i < count; i++) {
            kept[i] = logits[tokens[i]];
        }
        Arrays.fill(logits, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < count; i++) {
            // a token the model scores as NaN or -inf must still be choosable
            logits[tokens[i]] = Float.isFinite(kept[i]) || kept[i] == Float.POSITIVE_INFINITY ? kept[i] : -Float.MAX_VALUE;
        }
    }

    /** Free decoding: anything, but the end of sequence once the budget is spent. */
    record Free(int budget, int endOfSequence) implements AnswerConstraint {

        @Override
        public void constrain(int[] generated, float[] logits) {
            if (generated.length >= budget - 1) {
                keepOnly(logits, new int[] {endOfSequence}, 1);
            }
        }
    }
}
