package io.recalign.llm;

import java.util.Arrays;
import java.util.Random;

/** Temperature, top-k and top-p (nucleus) sampling, applied in that order as transformers does. */
final class RandomSampler implements Sampler {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final Random random;

    RandomSampler(double temperature, int topK, double topP, Random random) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be 0 (off) or positive, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = random;
    }

    @Override
    public int sample(float[] logits) {
        int[] candidates = rankedCandidates(logits);
        double max = logits[candidates[0]];
        double[] weights = new double[candidates.length];
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            weights[i] = Math.exp((logits[candidates[i]] - max) / temperature);
            total += weights[i];
        }
        int kept = candidates.length;
        if (topP < 1) {
            double cumulative = 0;
            for (int i = 0; i < candidates.length; i++) {
                cumulative += weights[i] / total;
                if (cumulative >= topP) {
                    kept = i + 1;
                    break;
                }
            }
        }
        double keptTotal = 0;
        for (int i = 0; i < kept; i++) {
            keptTotal += weights[i];
        }
        double draw = random.nextDouble() * keptTotal;
        for (int i = 0; i < kept; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return candidates[i];
            }
        }
        return candidates[kept - 1];
    }

    /** Ids that survive top-k (all finite ones without it), most likely first, ties by lower id. */
    private int[] rankedCandidates(float[] logits) {
        long[] keys = new long[logits.length];
        int count = 0;
        for (int id = 0; id < logits.length; id++) {
            if (logits[id] != Float.NEGATIVE_INFINITY && !Float.isNaN(logits[id])) {
                keys[count++] = ((long) descendingKey(logits[id]) << 32) | id;
            }
        }
        if (count == 0) {
            throw new IllegalStateException("every token is masked: nothing to sample");
        }
        Arrays.sort(keys, 0, count);
        int kept = topK > 0 ? Math.min(topK, count) : count;
        int[] candidates = new int[kept];
        for (int i = 0; i < kept; i++) {
            candidates[i] = (int) keys[i];
        }
        return candidates;
    }

    /** An int whose signed order is the descending order of the float. */
    private static int descendingKey(float value) {
        int bits = Float.floatToIntBits(value);
        int ascending = bits >= 0 ? bits : bits ^ 0x7fffffff;  // order-preserving for negatives too
        return ~ascending;
    }
}
