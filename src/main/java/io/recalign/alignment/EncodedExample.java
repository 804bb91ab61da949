package io.recalign.alignment;

import java.util.Arrays;

/**
 * One training sequence: the prompt's ids followed by the answer's; the loss counts only the answer
 * tokens (positions from {@code promptLength} on).
 *
 * @param historyTitles the tokens of the history's titles, when unlikelihood training needs them
 * @param unlikely      per token position, the tokens the model should not write there (unlikelihood
 *                      training); empty when the example names none
 * @param ruledOut      per token position, the set of titles whose total probability should be small there
 *                      (those the instruction rules out); empty when the example names none
 */
record EncodedExample(int[] tokens, int promptLength, int[] historyTitles, int[][] unlikely, int[][] ruledOut) {

    static EncodedExample of(InstructionCodec codec, String prompt, String answer) {
        return of(codec.prompt(prompt), codec.answer(answer));
    }

    /** The prompt's ids followed by the answer's, naming nothing to avoid. */
    static EncodedExample of(int[] prompt, int[] answer) {
        int[] tokens = Arrays.copyOf(prompt, prompt.length + answer.length);
        System.arraycopy(answer, 0, tokens, prompt.length, answer.length);
        return new EncodedExample(tokens, prompt.length, new int[0], new int[0][], new int[0][]);
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
