package io.recalign.alignment;

/**
 * One training sequence: the prompt's ids followed by the answer's; the loss counts only the answer
 * tokens (positions from {@code promptLength} on).
 */
record EncodedExample(int[] tokens, int promptLength) {

    static EncodedExample of(InstructionCodec codec, String prompt, String answer) {
        int[] promptIds = codec.prompt(prompt);
        int[] answerIds = codec.answer(answer);
        int[] tokens = new int[promptIds.length + answerIds.length];
        System.arraycopy(promptIds, 0, tokens, 0, promptIds.length);
        System.arraycopy(answerIds, 0, tokens, promptIds.length, answerIds.length);
        return new EncodedExample(tokens, promptIds.length);
    }

    int length() {
        return tokens.length;
    }

    int answerLength() {
        return tokens.length - promptLength;
    }

    /** Which tokens the loss counts: the answer's. */
    boolean[] labelMask() {
        boolean[] mask = new boolean[tokens.length];
        java.util.Arrays.fill(mask, promptLength, tokens.length, true);
        return mask;
    }
}
