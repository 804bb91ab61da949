package io.recalign.llm;

import java.util.Random;

/** Chooses the next token from one sequence's next-token logits. */
@FunctionalInterface
public interface Sampler {

    /** @param logits next-token logits of one sequence; the sampler may overwrite them */
    int sample(float[] logits);

    /** The most likely token (the lowest id among ties, as torch.argmax). */
    static Sampler greedy() {
        return Sampler::argmax;
    }

    /**
     * Samples from softmax(logits / temperature) restricted to the {@code topK} most likely tokens
     * (0 = all) and then to the smallest set whose probability reaches {@code topP} (1 = all),
     * drawing from {@code random} so a seeded generator reproduces the choices.
     */
    static Sampler random(double temperature, int topK, double topP, Random random) {
        return new RandomSampler(temperature, topK, topP, random);
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
