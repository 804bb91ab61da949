package io.recalign.alignment;

/**
 * Advantages of answer tokens, computed in plain Java on the rollout's ragged rows (one row per answer,
 * one entry per generated token): generalised advantage estimation for PPO, group-normalised answer
 * rewards for GRPO, and whitening.
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
        if (groupSize < 2 || rewards.length % groupSize != 0 || lengths.length != rewards.length) {
            throw new IllegalArgumentException("need whole groups of at least two answers: " + rewards.length
                    + " rewards in groups of " + groupSize);
        }
        float[][] advantages = new float[rewards.length][];
        for (int start = 0; start < rewards.length; start += groupSize) {
            double mean = 0;
            for (int i = start; i < start + groupSize; i++) {
                mean += rewards[i];
            }
            mean /= groupSize;
            double variance = 0;
            for (int i = start; i < start + groupSize; i++) {
                variance += (rewards[i] - mean) * (rewards[i] - mean);
            }
            double std = Math.sqrt(variance / (groupSize - 1));
            for (int i = start; i < start + groupSize; i++) {
                float advantage = (float) ((rewards[i] - mean) / (std + 1e-4));
                advantages[i] = new float[lengths[i]];
                java.util.Arrays.fill(advantages[i], advantage);
            }
        }
        return new Advantages(advantages, null);
    }

    /** The same with the advantages shifted and scaled over all tokens to mean 0 and deviation 1. */
    Advantages whitened() {
        return new Advantages(whiten(advantages), returns);
    }

    /** Shifts and scales every entry of the rows together to mean 0 and standard deviation 1. */
    static float[][] whiten(float[][] rows) {
        double sum = 0;
        long count = 0;
        for (float[] row : rows) {
            for (float value : row) {
                sum += value;
                count++;
            }
        }
        if (count < 2) {
            return rows;
        }
        double mean = sum / count;
        double squares = 0;
        for (float[] row : rows) {
            for (float value : row) {
                squares += (value - mean) * (value - mean);
            }
        }
        double std = Math.sqrt(squares / (count - 1));
        float[][] whitened = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            whitened[r] = new float[rows[r].length];
            for (int t = 0; t < rows[r].length; t++) {
                whitened[r][t] = (float) ((rows[r][t] - mean) / (std + 1e-8));
            }
        }
        return whitened;
    }
}
