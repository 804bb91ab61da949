package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest extends TorchTest {

    /** Qwen2-style (q/k/v biases, tied embeddings) so every kind of parameter is trained. */
    static final LlamaConfig TINY = new LlamaConfig("qwen2", 40, 32, 64, 2, 4, 2, 8, 64, 1e-6, true,
            true, false, false, LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);


    @TempDir
    Path directory;

    static int[][] sequences(int count, int length, long seed) {
        Random random = new Random(seed);
        int[][] tokens = new int[count][length];
        for (int[] row : tokens) {
            row[0] = 1;
            for (int t = 1; t < length; t++) {
                row[t] = 4 + random.nextInt(36);
            }
        }
        return tokens;
    }

    static boolean[][] allButFirst(int[][] tokens) {
        boolean[][] mask = new boolean[tokens.length][];
        for (int b = 0; b < tokens.length; b++) {
            mask[b] = new boolean[tokens[b].length];
            java.util.Arrays.fill(mask[b], 1, tokens[b].length, true);
        }
        return mask;
    }

    @Test
    void tinyModelOverfitsAFewSequences() {
        int[][] tokens = sequences(4, 12, 7);
        boolean[][] mask = allButFirst(tokens);
        try (LlamaModel model = LlamaModel.create(TINY, manager, 1);
             AdamW optimizer = new AdamW(model, new AdamW.Settings(0.9, 0.95, 1e-8, 0.0, 1.0), LearningRateSchedule.constant(1e-2))) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            float first = trainer.step(tokens, mask);
            float last = first;
            for (int step = 0; step < 80; step++) {
                last = trainer.step(tokens, mask);
            }

            assertThat((double) first).isCloseTo(Math.log(40), within(0.3));
            assertThat(last).isLessThan(first * 0.2f);
        }
    }

    @Test
    void everyParameterReceivesAGradient() {
        int[][] tokens = sequences(2, 10, 3);
        try (LlamaModel model = LlamaModel.create(TINY, manager, 2);
             NDManager scope = manager.newSubManager()) {
            model.requireGradients();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(model.loss(scope, tokens, allButFirst(tokens)));
            }
            Map<String, NDArray> parameters = model.parameters();
            // embedding, per layer (2 norms, qkv weight and bias, o, gate_up, down), final norm; the head is tied
            assertThat(parameters.keySet()).hasSize(1 + 2 * 7 + 1);
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                NDArray gradient = entry.getValue().getGradient();
                gradient.attach(scope);
                assertThat(gradient.abs().sum().getFloat()).as(entry.getKey()).isGreaterThan(0f);
            }
            // leave no gradient behind for other tests
            try (AdamW optimizer = new AdamW(model, AdamW.Settings.defaults(), LearningRateSchedule.constant(0))) {
                optimizer.step();
            }
        }
    }

    @Test
    void aStepWithANonFiniteGradientChangesNoWeightAndIsReportedSkipped() {
        int[][] tokens = sequences(2, 8, 5);
        try (LlamaModel model = LlamaModel.create(TINY, manager, 3);
             NDManager scope = manager.newSubManager();
             AdamW optimizer = new AdamW(model, AdamW.Settings.defaults(), LearningRateSchedule.constant(1e-3))) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            String matrix = "model.layers.0.self_attn.qkv_proj.weight";
            float[] before = model.parameters().get(matrix).toFloatArray();

            LanguageModelTrainer.Update skipped =
                    trainer.update(step -> model.loss(step, tokens, allButFirst(tokens)).mul(Float.NaN));

            assertThat(skipped.skipped()).isTrue();
            assertThat(skipped.loss()).isNaN();
            assertThat(optimizer.steps()).isZero();
            assertThat(model.parameters().get(matrix).toFloatArray()).isEqualTo(before);
            NDArray gradient = model.parameters().get(matrix).getGradient();
            gradient.attach(scope);
            assertThat(gradient.abs().sum().getFloat()).as("the NaN gradient is dropped").isZero();

            // the next finite step is the first real one
            LanguageModelTrainer.Update first = trainer.update(step -> model.loss(step, tokens, allButFirst(tokens)));
            assertThat(first.skipped()).isFalse();
            assertThat(first.loss()).isFinite();
            assertThat(optimizer.steps()).isEqualTo(1);
            assertThat(model.parameters().get(matrix).toFloatArray()).isNotEqualTo(before);
        }
    }

    @Test
    void firstStepIsDecoupledAdamWithDecayOnMatricesOnly() {
        int[][] tokens = sequences(2, 8, 5);
        double rate = 1e-3;
        double decay = 0.5;
        try (LlamaModel model = LlamaModel.create(TINY, manager, 3);
             NDManager scope = manager.newSubManager();
             AdamW optimizer = new AdamW(model, new AdamW.Settings(0.9, 0.95, 1e-8, decay, 0), LearningRateSchedule.constant(rate))) {
            model.requireGradients();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(model.loss(scope, tokens, allButFirst(tokens)));
            }
            String matrix = "model.layers.0.self_attn.qkv_proj.weight";
            String gain = "model.layers.0.input_layernorm.weight";
            float[] matrixBefore = model.parameters().get(matrix).toFloatArray();
            float[] gainBefore = model.parameters().get(gain).toFloatArray();
            NDArray matrixGradient = model.parameters().get(matrix).getGradient();
            NDArray gainGradient = model.parameters().get(gain).getGradient();
            matrixGradient.attach(scope);
            gainGradient.attach(scope);
            float[] matrixGrad = matrixGradient.toFloatArray();
            float[] gainGrad = gainGradient.toFloatArray();

            optimizer.step();

            // after one bias-corrected step m̂ = g and v̂ = g², so the update is lr · g / (|g| + eps)
            float[] matrixAfter = model.parameters().get(matrix).toFloatArray();
            for (int i = 0; i < matrixAfter.length; i += 97) {
                double expected = matrixBefore[i] * (1 - rate * decay) - rate * matrixGrad[i] / (Math.abs(matrixGrad[i]) + 1e-8);
                assertThat((double) matrixAfter[i]).isCloseTo(expected, within(1e-6));
            }
            float[] gainAfter = model.parameters().get(gain).toFloatArray();
            for (int i = 0; i < gainAfter.length; i++) {
                double expected = gainBefore[i] - rate * gainGrad[i] / (Math.abs(gainGrad[i]) + 1e-8);
                assertThat((double) gainAfter[i]).isCloseTo(expected, within(1e-6));
            }
            assertThat(matrixGradient.abs().sum().getFloat()).as("gradients are zeroed by the step").isZero();
        }
    }

    @Test
    void unlikelihoodAddsMinusLogOfOneMinusEachNamedTokensProbability() {
        int[][] tokens = {{1, 5, 9, 12, 7}, {1, 6, 8}};
        boolean[][] mask = {{false, false, true, true, true}, {false, true, true}};
        int[][][] unlikely = {{null, null, null, {5, 20}, {9}}, {null, null, {6}}};
        try (LlamaModel model = LlamaModel.create(TINY, manager, 4);
             NDManager scope = manager.newSubManager()) {
            ReferenceLoss reference = ReferenceLoss.of(model, tokens, mask, unlikely, new int[0][][]);
            double crossEntropy = reference.crossEntropy();
            double penalty = reference.tokenPenalty();
            int labels = reference.labels();

            assertThat((double) model.loss(scope, tokens, mask, Unlikelihood.ofTokens(unlikely, 0.5f)).getFloat())
                    .isCloseTo((crossEntropy + 0.5 * penalty) / labels, within(1e-5));
            assertThat((double) model.loss(scope, tokens, mask, Unlikelihood.ofTokens(unlikely, 0f)).getFloat())
                    .isCloseTo(crossEntropy / labels, within(1e-5));
            assertThat((double) model.loss(scope, tokens, mask).getFloat()).isCloseTo(crossEntropy / labels, within(1e-5));
            // alone, as for answers the model wrote: the mean over the three positions that name candidates
            assertThat((double) model.unlikelihood(scope, tokens, unlikely).getFloat()).isCloseTo(penalty / 3, within(1e-5));
            assertThatThrownBy(() -> model.unlikelihood(scope, tokens, new int[0][][]))
                    .hasMessageContaining("no position names an unlikely token");
            assertThatThrownBy(() -> model.loss(scope, tokens, mask, Unlikelihood.ofTokens(new int[][][] {{null, null, {40}}}, 1f)))
                    .hasMessageContaining("outside the vocabulary");
        }
    }

    @Test
    void setUnlikelihoodAddsMinusLogOfOneMinusTheSetsTotalProbability() {
        int[][] tokens = {{1, 5, 9, 12, 7}, {1, 6, 8}};
        boolean[][] mask = {{false, false, true, true, true}, {false, true, true}};
        int[][][] unlikely = {{null, null, null, {5}}, {}};
        // a set holding most of the vocabulary, where a token-by-token sum would be far from the set's mass
        int[] most = IntStream.range(4, 30).toArray();
        int[][][] sets = {{null, null, {9, 20, 21}, most}, {null, null, {6, 7}}};
        try (LlamaModel model = LlamaModel.create(TINY, manager, 4);
             NDManager scope = manager.newSubManager()) {
            ReferenceLoss reference = ReferenceLoss.of(model, tokens, mask, unlikely, sets);
            double crossEntropy = reference.crossEntropy();
            double tokenPenalty = reference.tokenPenalty();
            double setPenalty = reference.setPenalty();
            int labels = reference.labels();
            assertThat(setPenalty).as("the large set carries real mass").isGreaterThan(0.5);

            assertThat((double) model.loss(scope, tokens, mask, new Unlikelihood(unlikely, 0.5f, sets, 2f)).getFloat())
                    .isCloseTo((crossEntropy + 0.5 * tokenPenalty + 2 * setPenalty) / labels, within(1e-5));
            assertThat((double) model.loss(scope, tokens, mask, new Unlikelihood(unlikely, 0f, sets, 1f)).getFloat())
                    .isCloseTo((crossEntropy + setPenalty) / labels, within(1e-5));
            assertThat((double) model.loss(scope, tokens, mask, new Unlikelihood(unlikely, 0f, sets, 0f)).getFloat())
                    .isCloseTo(crossEntropy / labels, within(1e-5));
            assertThatThrownBy(() -> model.loss(scope, tokens, mask,
                    new Unlikelihood(new int[0][][], 0f, new int[][][] {{null, null, {3, 40}}}, 1f)))
                    .hasMessageContaining("outside the vocabulary");
            assertThatThrownBy(() -> new Unlikelihood(unlikely, -1f, sets, 1f)).hasMessageContaining("non-negative");
        }
    }

    @Test
    void setUnlikelihoodTrainingMovesTheMassOutOfTheSet() {
        // "1 5" is followed by 9 once and by 11 once; with the set {9, 12} ruled out after the second, the
        // least combined loss, -log p9 - log p11 - log(1 - p9 - p12), leaves 12 nothing and p9 = 1/3
        int[][] tokens = {{1, 5, 9}, {1, 5, 11}};
        boolean[][] mask = {{false, false, true}, {false, false, true}};
        int[][][] sets = {{}, {null, null, {9, 12}}};
        try (LlamaModel model = LlamaModel.create(TINY, manager, 5);
             AdamW optimizer = new AdamW(model, new AdamW.Settings(0.9, 0.95, 1e-8, 0.0, 1.0), LearningRateSchedule.constant(1e-2))) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            for (int step = 0; step < 150; step++) {
                trainer.step(scope -> model.loss(scope, tokens, mask, new Unlikelihood(new int[0][][], 0f, sets, 1f)));
            }
            double[] next = softmax(model.logits(new int[] {1, 5}))[1];
            assertThat(next[9]).isCloseTo(1.0 / 3, within(0.05));
            assertThat(next[12]).isLessThan(0.01);
        }
    }

    @Test
    void unlikelihoodTrainingSettlesWhereTheCombinedLossIsLeast() {
        // "1 5" is followed by 9 in one sequence and by 11 in the other. Cross-entropy alone is least at
        // p(9) = 1/2; with "not 9" on the second sequence, -log p - log(1 - p) - log(1 - p) is least at 1/3
        int[][] tokens = {{1, 5, 9}, {1, 5, 11}};
        boolean[][] mask = {{false, false, true}, {false, false, true}};
        int[][][] unlikely = {{}, {null, null, {9}}};

        assertThat(probabilityAfterTraining(tokens, mask, new int[0][][], 9)).isCloseTo(0.5, within(0.05));
        assertThat(probabilityAfterTraining(tokens, mask, unlikely, 9)).isCloseTo(1.0 / 3, within(0.05));
    }

    private double probabilityAfterTraining(int[][] tokens, boolean[][] mask, int[][][] unlikely, int token) {
        try (LlamaModel model = LlamaModel.create(TINY, manager, 5);
             AdamW optimizer = new AdamW(model, new AdamW.Settings(0.9, 0.95, 1e-8, 0.0, 1.0), LearningRateSchedule.constant(1e-2))) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            for (int step = 0; step < 150; step++) {
                trainer.step(scope -> model.loss(scope, tokens, mask, Unlikelihood.ofTokens(unlikely, 1f)));
            }
            return softmax(model.logits(new int[] {1, 5}))[1][token];
        }
    }

    /** The loss terms of {@link LlamaModel#loss} summed by hand over the labelled tokens, from the model's logits. */
    private record ReferenceLoss(double crossEntropy, double tokenPenalty, double setPenalty, int labels) {

        static ReferenceLoss of(LlamaModel model, int[][] tokens, boolean[][] mask, int[][][] unlikely, int[][][] sets) {
            double crossEntropy = 0;
            double tokenPenalty = 0;
            double setPenalty = 0;
            int labels = 0;
            for (int b = 0; b < tokens.length; b++) {
                double[][] probabilities = softmax(model.logits(tokens[b]));
                for (int t = 1; t < tokens[b].length; t++) {
                    if (!mask[b][t]) {
                        continue;
                    }
                    labels++;
                    crossEntropy -= Math.log(probabilities[t - 1][tokens[b][t]]);
                    for (int token : Unlikelihood.at(unlikely, b, t)) {
                        tokenPenalty -= Math.log(1 - probabilities[t - 1][token]);
                    }
                    double mass = 0;
                    for (int token : Unlikelihood.at(sets, b, t)) {
                        mass += probabilities[t - 1][token];
                    }
                    setPenalty -= Math.log(1 - mass);
                }
            }
            return new ReferenceLoss(crossEntropy, tokenPenalty, setPenalty, labels);
        }
    }

    private static double[][] softmax(float[][] logits) {
        double[][] probabilities = new double[logits.length][];
        for (int t = 0; t < logits.length; t++) {
            probabilities[t] = java.util.Arrays.stream(ReferenceMath.logSoftmax(logits[t])).map(Math::exp).toArray();
        }
        return probabilities;
    }

    @Test
    void resumingFromASavedModelAndOptimizerContinuesIdentically() {
        int[][] tokens = sequences(3, 9, 11);
        boolean[][] mask = allButFirst(tokens);
        Path tokenizer = directory.resolve("tokenizer.json");
        new TokenizerBuilder().corpus(List.of("recommend some items")).build().write(tokenizer);
        Path checkpoint = directory.resolve("checkpoint");
        AdamW.Settings settings = AdamW.Settings.defaults();
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(5e-3, 2, 10, 1e-4);
        try (LlamaModel model = LlamaModel.create(TINY, manager, 4);
             AdamW optimizer = new AdamW(model, settings, schedule)) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            for (int step = 0; step < 3; step++) {
                trainer.step(tokens, mask);
            }
            Checkpoints.export(model, tokenizer, checkpoint);
            optimizer.save(checkpoint);
            trainer.step(tokens, mask);

            try (LlamaModel resumed = Checkpoints.load(checkpoint, manager);
                 AdamW resumedOptimizer = new AdamW(resumed, settings, schedule)) {
                resumedOptimizer.restore(checkpoint);
                new LanguageModelTrainer(resumed, resumedOptimizer).step(tokens, mask);

                assertThat(resumedOptimizer.steps()).isEqualTo(4);
                Map<String, NDArray> expected = model.parameters();
                resumed.parameters().forEach((name, array) -> {
                    float[] actual = array.toFloatArray();
                    float[] reference = expected.get(name).toFloatArray();
                    for (int i = 0; i < actual.length; i++) {
                        assertThat(actual[i]).as(name).isCloseTo(reference[i], within(1e-6f));
                    }
                });
            }
        }
    }
}
