package io.recalign.llm;

/** Receives each token as soon as it is chosen (streaming). */
@FunctionalInterface
public interface TokenListener {

    void onToken(int sequence, int token);
}
