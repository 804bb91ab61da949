package io.recalign.alignment;

import java.util.Arrays;

/**
 * Advantages of answer tokens, computed in plain Java on the rollout's ragged rows (one row per answer,
 * one entry per generated token): generalised advantage estimation for PPO, group-normalised answer
 * rewards for GRPO (whole, or part by part), and whitening.
 *
 * @param advantages per token, for the policy loss
 * @param returns    per token, the value head's targets (PPO; null for GRPO)
 */
record Advantages(float[][] advantages, float[][] returns) {

    /**
     * GAE (Schulman et al. 2016): δ_t = r_t + γ·V_{t+1} − V_t with V after the last token 0, A_t =
     * Σ_l (γλ)^l δ_{t+l}; returns R_t = A_t + V_t. The advantages are not yet whitened ({@link #whitened}).
     */
    static Advantages gae(float[][] rewards, float[][] values, double gamma, double lambda) {
        float[][] advantages = new float[rewards.length][];
        float[][] returns = new float[rewards.length][];
        for (int row = 0; row < rewards.length; row++) {
            int length = rewards[row].length;
            if (values[row].length != length) {
                throw new IllegalArgumentException("row " + row + " has " + length + " rewards but "
                        + values[row].length + " values");
            }
            advantages[row] = new float[length];
            returns[row] = new float[length];
            double running = 0;
            for (int t = length - 1; t >= 0; t--) {
                double next = t + 1 < length ? values[row][t + 1] : 0;
                double delta = rewards[row][t] + gamma * next - values[row][t];
                running = delta + gamma * lambda * running;
                advantages[row][t] = (float) running;
                returns[row][t] = (float) (running + values[row][t]);
            }
        }
        return new Advantages(advantages, returns);
    }

    /**
     * GRPO (Shao et al. 2024): each answer's reward minus its group's mean, over the group's standard
     * deviation (groups are consecutive runs of {@code groupSize} answers to one prompt), given to every
     * token of the answer. A group whose answers all earned the same has no advantage.
     *
     * @param lengths each answer's token count
     */
    static Advantages grouped(double[] rewards, int groupSize, int[] lengths) {
        requireWholeGroups(rewards.length, groupSize, lengths);
        return new Advantages(perToken(normalisedInGroups(rewards, groupSize), lengths), null);
    }

    /**
     * GRPO with the reward's parts normalised apart (GDPO, Liu et al. 2026): each part of the answers'
     * rewards is normalised within its groups on its own, the results are summed with the parts' weights,
     * and the sums are standardised over the batch. With one normalisation of the weighted total, a part
     * whose values hardly differ within a group (a list score that moves by 0.05 when one more title obeys
     * the category) is drowned by one that differs much (a title that names no item); apart, each part's
     * ordering of the group counts at its weight.
     *
     * @param parts   per part, each answer's value of it
     * @param weights per part, its weight in the sum
     * @param lengths each answer's token count
     */
    static Advantages decoupled(double[][] parts, double[] weights, int groupSize, int[] lengths) {
        if (parts.length == 0 || parts.length != weights.length) {
            throw new IllegalArgumentException(parts.length + " reward parts but " + weights.length + " weights");
        }
        double[] sums = new double[lengths.length];
        for (int part = 0; part < parts.length; part++) {
            requireWholeGroups(parts[part].length, groupSize, lengths);
            double[] normalised = normalisedInGroups(parts[part], groupSize);
            for (int a = 0; a < sums.length; a++) {
                sums[a] += weights[part] * normalised[a];
            }
        }
        double[] advantages = new double[sums.length];
        standardise(sums, 0, sums.length, advantages, 1e-8);
        return new Advantages(perToken(advantages, lengths), null);
    }

    private static void requireWholeGroups(int answers, int groupSize, int[] lengths) {
        if (groupSize < 2 || answers % groupSize != 0 || lengths.length != answers) {
            throw new IllegalArgumentException("need whole groups of at least two answers: " + answers
                    + " rewards in groups of " + groupSize);
        }
    }

    private static double[] normalisedInGroups(double[] values, int groupSize) {
        double[] normalised = new double[values.length];
        for (int start = 0; start < values.length; start += groupSize) {
            standardise(values, start, start + groupSize, normalised, 1e-4);
        }
        return normalised;
    }

    /**
     * Writes (v − mean) / (std + epsilon) of {@code values[from, to)} into {@code out} (which may be
     * {@code values}); std with n − 1.
     */
    private static void standardise(double[] values, int from, int to, double[] out, double epsilon) {
        int count = to - from;
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += values[i];
        }
        mean /= count;
        double squares = 0;
        for (int i = from; i < to; i++) {
            squares += (values[i] - mean) * (values[i] - mean);
        }
        double std = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
        for (int i = from; i < to; i++) {
            out[i] = (values[i] - mean) / (std + epsilon);
        }
    }

    private static float[][] perToken(double[] answerAdvantages, int[] lengths) {
        float[][] advantages = new float[answerAdvantages.length][];
        for (int a = 0; a < answerAdvantages.length; a++) {
            advantages[a] = new float[lengths[a]];
            Arrays.fill(advantages[a], (float) answerAdvantages[a]);
        }
        return advantages;
    }

    /** The same with the advantages shifted and scaled over all tokens to mean 0 and deviation 1. */
    Advantages whitened() {
        return new Advantages(whiten(advantages), returns);
    }

    /** Shifts and scales every entry of the rows together to mean 0 and standard deviation 1. */
    static float[][] whiten(float[][] rows) {
        double[] flat = new double[Arrays.stream(rows).mapToInt(row -> row.length).sum()];
        int next = 0;
        for (float[] row : rows) {
            for (float value : row) {
                flat[next++] = value;
            }
        }
        if (flat.length < 2) {
            return rows;
        }
        standardise(flat, 0, flat.length, flat, 1e-8);
        float[][] whitened = new float[rows.length][];
        next = 0;
        for (int r = 0; r < rows.length; r++) {
            whitened[r] = new float[rows[r].length];
            for (int t = 0; t < whitened[r].length; t++) {
                whitened[r][t] = (float) flat[next++];
            }
        }
        return whitened;
    }
}
