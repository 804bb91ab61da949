package io.recalign.alignment;

import java.util.Arrays;

/**
 * One training sequence: the prompt's ids followed by the answer's; the loss counts only the answer
 * tokens (positions from {@code promptLength} on).
 *
 * @param historyTitles the tokens of the history's titles, when unlikelihood training needs them
 * @param unlikely      per token position, the tokens the model should not write there (unlikelihood
 *                      training); empty when the example names none
 */
record EncodedExample(int[] tokens, int promptLength, int[] historyTitles, int[][] unlikely) {

    static EncodedExample of(InstructionCodec codec, String prompt, String answer) {
        int[] promptIds = codec.prompt(prompt);
        int[] answerIds = codec.answer(answer);
        int[] tokens = new int[promptIds.length + answerIds.length];
        System.arraycopy(promptIds, 0, tokens, 0, promptIds.length);
        System.arraycopy(answerIds, 0, tokens, promptIds.length, answerIds.length);
        return new EncodedExample(tokens, promptIds.length, new int[0], new int[0][]);
    }

    int length() {
        return tokens.length;
    }

    int answerLength() {
        return tokens.length - promptLength;
    }

    int[] prompt() {
        return Arrays.copyOf(tokens, promptLength);
    }

    /** Which tokens the loss counts: the answer's. */
    boolean[] labelMask() {
        boolean[] mask = new boolean[tokens.length];
        Arrays.fill(mask, promptLength, tokens.length, true);
        return mask;
    }
}
