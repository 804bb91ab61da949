package io.recalign.llm;

/**
 * Adjusts a sequence's next-token logits before sampling, e.g. constrained decoding setting the ids
 * that may not come next to negative infinity.
 */
@FunctionalInterface
public interface LogitsProcessor {

    /**
     * @param sequence  index of the sequence in the batch
     * @param generated the ids generated for it so far (the prompt excluded)
     * @param logits    its next-token logits, modified in place
     */
    void process(int sequence, int[] generated, float[] logits);
}
