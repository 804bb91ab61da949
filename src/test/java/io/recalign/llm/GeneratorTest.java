package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest extends TorchTest {

    private static LlamaModel model;
    private static Generator generator;

    @BeforeAll
    static void createModel() {
        model = LlamaModel.create(TrainingTest.TINY, manager, 9);
        generator = new Generator(model);
    }

    @Test
    void logitsProcessorSeesGeneratedIdsAndConstrainsTheChoice() {
        Set<Integer> allowed = Set.of(7, 8, 9);
        List<int[]> seen = new ArrayList<>();
        LogitsProcessor onlyAllowed = (sequence, generated, logits) -> {
            seen.add(generated);
            for (int id = 0; id < logits.length; id++) {
                if (!allowed.contains(id)) {
                    logits[id] = Float.NEGATIVE_INFINITY;
                }
            }
        };
        GenerationSettings settings = GenerationSettings.greedy(5, List.of(2)).withLogitsProcessor(onlyAllowed);

        Generation generation = generator.generate(new int[] {1, 5, 6}, settings);

        assertThat(generation.tokens()).hasSize(5);
        assertThat(java.util.Arrays.stream(generation.tokens()).boxed().toList()).allMatch(allowed::contains);
        assertThat(seen).hasSize(5);
        for (int step = 0; step < 5; step++) {
            assertThat(seen.get(step)).containsExactly(java.util.Arrays.copyOf(generation.tokens(), step));
        }
        assertThat(generation.finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
    }

    @Test
    void stopsAtAStopTokenAndStreamsEveryToken() {
        LogitsProcessor endAtThird = (sequence, generated, logits) -> {
            java.util.Arrays.fill(logits, Float.NEGATIVE_INFINITY);
            logits[generated.length == 2 ? 2 : 10 + sequence] = 0;
        };
        List<String> streamed = new ArrayList<>();
        GenerationSettings settings = GenerationSettings.greedy(10, List.of(2))
                .withLogitsProcessor(endAtThird)
                .withListener((sequence, token) -> streamed.add(sequence + ":" + token));

        List<Generation> generations = generator.generate(List.of(new int[] {1, 4}, new int[] {1, 4, 5, 6}), settings);

        assertThat(generations.get(0).tokens()).containsExactly(10, 10, 2);
        assertThat(generations.get(1).tokens()).containsExactly(11, 11, 2);
        assertThat(generations).allMatch(g -> g.finishReason() == Generation.FinishReason.STOP_TOKEN);
        assertThat(streamed).containsExactly("0:10", "1:11", "0:10", "1:11", "0:2", "1:2");
    }

    @Test
    void seededSamplingIsReproducibleAndBatchedRowsMatchSingleRuns() {
        int[] prompt = {1, 20, 21, 22};
        GenerationSettings first = GenerationSettings.greedy(12, List.of())
                .withSampler(Sampler.random(1.5, 20, 0.95, new Random(42)));
        GenerationSettings second = first.withSampler(Sampler.random(1.5, 20, 0.95, new Random(42)));

        assertThat(generator.generate(prompt, first).tokens()).containsExactly(generator.generate(prompt, second).tokens());

        GenerationSettings greedy = GenerationSettings.greedy(12, List.of());
        List<int[]> prompts = List.of(new int[] {1, 9}, prompt, new int[] {1, 30, 31, 32, 33, 34, 35});
        List<Generation> batched = generator.generate(prompts, greedy);
        for (int row = 0; row < prompts.size(); row++) {
            assertThat(batched.get(row).tokens()).containsExactly(generator.generate(prompts.get(row), greedy).tokens());
        }
    }

    @Test
    void restoresTheThreadsGradientModeAndRejectsBadPrompts() {
        JniUtils.setGradMode(true);
        try {
            generator.generate(new int[] {1, 2, 3}, GenerationSettings.greedy(2, List.of()));
            assertThat(JniUtils.isGradMode()).isTrue();
        } finally {
            JniUtils.setGradMode(false);
        }
        GenerationSettings settings = GenerationSettings.greedy(4, List.of());
        assertThatThrownBy(() -> generator.generate(new int[] {1, 400}, settings)).hasMessageContaining("token id 400");
        assertThatThrownBy(() -> generator.generate(new int[] {}, settings)).hasMessageContaining("at least one token");
        assertThatThrownBy(() -> generator.generate(new int[62], settings)).hasMessageContaining("exceeds the model's context of 64");
    }

    @Test
    void continuationScoresAreTheLogProbabilitiesOfTheGeneratingForwardPass() {
        int[] prompt = {1, 12, 13};
        int[] continuation = generator.generate(prompt, GenerationSettings.greedy(4, List.of())).tokens();
        int[] full = ConformanceTest.concat(prompt, continuation);
        float[][] logits = model.logits(full);

        try (NDManager scope = manager.newSubManager()) {
            LlamaModel.ContinuationScores scores = model.scoreContinuations(scope,
                    List.of(new int[] {1, 5, 6, 7, 8}, prompt), List.of(new int[] {9}, continuation));
            float[] logProbs = scores.logProbs().toFloatArray();
            assertThat(scores.mask().toFloatArray()).containsExactly(1, 0, 0, 0, 1, 1, 1, 1);
            for (int c = 0; c < continuation.length; c++) {
                double expected = ReferenceMath.logSoftmax(logits[prompt.length - 1 + c])[continuation[c]];
                assertThat((double) logProbs[4 + c]).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-4));
            }
            assertThat(scores.hidden().getShape().getShape()).containsExactly(2, 4, 32);
        }
    }
}
