package io.recalign.llm;

/**
 * The tokens generated for one prompt (the prompt excluded; a stop token that ended it included)
 * and why generation ended.
 */
public record Generation(int[] tokens, FinishReason finishReason) {

    public enum FinishReason { STOP_TOKEN, LENGTH }

    public Generation {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
