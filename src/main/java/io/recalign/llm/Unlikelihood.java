package io.recalign.llm;

import java.util.Objects;

/**
 * What {@link LlamaModel#loss(ai.djl.ndarray.NDManager, int[][], boolean[][], Unlikelihood)} pushes down
 * besides raising the labels, per row and token position of the batch (missing or null entries name
 * nothing), each part with its weight:
 * <ul>
 * <li>{@code tokens}: each token on its own, −log(1 − p(c)) per token c (token-level unlikelihood,
 *     Welleck et al., 2020), for a few tokens such as the titles an answer already wrote;</li>
 * <li>{@code sets}: a set as a whole, −log(1 − Σ p(c)), for a large set such as every title of a
 *     category that an instruction rules out: the term grows with the mass the set holds, which is what
 *     a category rule counts, rather than with thousands of tiny terms. It is computed as minus the log
 *     of the probability left to the other tokens, so it needs no clipping however much the set holds.</li>
 * </ul>
 */
public record Unlikelihood(int[][][] tokens, float tokenWeight, int[][][] sets, float setWeight) {

    /** Nothing to push down: the loss is the cross-entropy alone. */
    public static final Unlikelihood NONE = new Unlikelihood(new int[0][][], 0, new int[0][][], 0);

    public Unlikelihood {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(sets, "sets");
        if (!(tokenWeight >= 0 && setWeight >= 0) || !Float.isFinite(tokenWeight) || !Float.isFinite(setWeight)) {
            throw new IllegalArgumentException("unlikelihood weights must be finite and non-negative, were "
                    + tokenWeight + " and " + setWeight);
        }
    }

    /** Token-level unlikelihood only. */
    public static Unlikelihood ofTokens(int[][][] tokens, float weight) {
        return new Unlikelihood(tokens, weight, new int[0][][], 0);
    }

    /** What {@code table[row][token]} names, empty where it names nothing. */
    static int[] at(int[][][] table, int row, int token) {
        if (row >= table.length || table[row] == null || token >= table[row].length || table[row][token] == null) {
            return new int[0];
        }
        return table[row][token];
    }
}
