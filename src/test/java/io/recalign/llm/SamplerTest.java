package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void greedyTakesTheFirstLargest() {
        assertThat(Sampler.greedy().sample(new float[] {1, 3, 3, -2})).isEqualTo(1);
    }

    @Test
    void temperatureScalesTheDistribution() {
        float[] logits = {0, (float) Math.log(3)};
        Sampler plain = Sampler.random(1.0, 0, 1.0, new Random(7));
        Sampler hot = Sampler.random(1e6, 0, 1.0, new Random(7));
        int draws = 20_000;
        int plainOnes = 0;
        int hotOnes = 0;
        for (int i = 0; i < draws; i++) {
            plainOnes += plain.sample(logits.clone());
            hotOnes += hot.sample(logits.clone());
        }
        assertThat(plainOnes / (double) draws).isCloseTo(0.75, within(0.02));
        assertThat(hotOnes / (double) draws).isCloseTo(0.5, within(0.02));
    }

    @Test
    void topKAndTopPKeepOnlyTheMostLikely() {
        float[] logits = {0.1f, 2.0f, 1.9f, -1f, Float.NEGATIVE_INFINITY};
        Sampler topTwo = Sampler.random(1.0, 2, 1.0, new Random(3));
        Sampler nucleus = Sampler.random(1.0, 0, 0.3, new Random(3));
        for (int i = 0; i < 500; i++) {
            assertThat(topTwo.sample(logits.clone())).isIn(1, 2);
            assertThat(nucleus.sample(logits.clone())).isEqualTo(1);
        }
    }

    @Test
    void sameSeedSameDraws() {
        float[] logits = new float[50];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.sin(i);
        }
        Sampler first = Sampler.random(0.8, 10, 0.9, new Random(11));
        Sampler second = Sampler.random(0.8, 10, 0.9, new Random(11));
        for (int i = 0; i < 100; i++) {
            assertThat(first.sample(logits.clone())).isEqualTo(second.sample(logits.clone()));
        }
    }

    @Test
    void invalidSettingsAndFullyMaskedLogitsAreRejected() {
        assertThatThrownBy(() -> Sampler.random(0, 0, 1, new Random())).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Sampler.random(1, 0, 1.5, new Random())).hasMessageContaining("top-p");
        Sampler sampler = Sampler.random(1, 0, 1, new Random());
        assertThatThrownBy(() -> sampler.sample(new float[] {Float.NEGATIVE_INFINITY})).hasMessageContaining("masked");
    }
}
