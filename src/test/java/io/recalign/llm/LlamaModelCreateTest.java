package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlamaModelCreateTest extends TorchTest {

    private static final LlamaConfig UNTIED = new LlamaConfig("llama", 40, 32, 64, 2, 4, 2, 8, 64, 1e-6, false,
            false, false, false, LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);

    @Test
    void composedTokensStartHalfTheirOwnNoiseAndHalfTheirParts() {
        Map<Integer, int[]> parts = Map.of(20, new int[] {5}, 21, new int[] {5, 6});
        try (LlamaModel plain = LlamaModel.create(UNTIED, manager, 3);
             LlamaModel composed = LlamaModel.create(UNTIED, manager, 3, parts)) {
            for (String name : List.of("model.embed_tokens.weight", "lm_head.weight")) {
                float[][] before = rows(plain, name);
                float[][] after = rows(composed, name);
                for (int j = 0; j < UNTIED.hiddenSize(); j++) {
                    // the same seed draws the same noise; only the composed rows differ
                    assertThat(after[20][j]).isCloseTo((float) (Math.sqrt(0.5) * (before[20][j] + before[5][j])), within(1e-6f));
                    assertThat(after[21][j]).isCloseTo((float) (Math.sqrt(0.5) * before[21][j]
                            + 0.5 * (before[5][j] + before[6][j])), within(1e-6f));
                    assertThat(after[5][j]).isEqualTo(before[5][j]);
                    assertThat(after[22][j]).isEqualTo(before[22][j]);
                }
            }
            // everything but the two embedding matrices is untouched
            assertThat(composed.exportTensors().get("model.norm.weight").values())
                    .containsExactly(plain.exportTensors().get("model.norm.weight").values());
        }
    }

    @Test
    void tokensWithACommonPartStartAlike() {
        try (LlamaModel model = LlamaModel.create(TrainingTest.TINY, manager, 8,
                Map.of(30, new int[] {7}, 31, new int[] {7}, 32, new int[] {8}))) {
            float[][] rows = rows(model, "model.embed_tokens.weight");
            assertThat(cosine(rows[30], rows[31])).isGreaterThan(0.25);
            assertThat(Math.abs(cosine(rows[30], rows[32]))).isLessThan(0.25);
        }
    }

    @Test
    void partsOutsideTheVocabularyOrComposedThemselvesAreRefused() {
        assertThatThrownBy(() -> LlamaModel.create(UNTIED, manager, 1, Map.of(20, new int[] {40})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> LlamaModel.create(UNTIED, manager, 1, Map.of(20, new int[] {5}, 5, new int[] {6})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has parts itself");
        assertThatThrownBy(() -> LlamaModel.create(UNTIED, manager, 1, Map.of(40, new int[] {5})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabulary of 40");
    }

    private static float[][] rows(LlamaModel model, String name) {
        Safetensors.Tensor tensor = model.exportTensors().get(name);
        int width = Math.toIntExact(tensor.shape()[1]);
        float[][] rows = new float[Math.toIntExact(tensor.shape()[0])][width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(tensor.values(), i * width, rows[i], 0, width);
        }
        return rows;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
