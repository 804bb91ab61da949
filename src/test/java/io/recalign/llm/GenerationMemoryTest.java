package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GenerationMemoryTest extends TorchTest {

    @Test
    void fiveHundredGenerateCallsLeaveNoArrayBehind() {
        try (NDManager manager = NDManager.newBaseManager();
             LlamaModel model = LlamaModel.create(TrainingTest.TINY, manager, 5)) {
            Generator generator = new Generator(model);
            Random random = new Random(1);
            GenerationSettings settings = GenerationSettings.greedy(4, List.of(2))
                    .withSampler(Sampler.random(1.0, 0, 1.0, random));
            generator.generate(List.of(new int[] {1, 5}, new int[] {1, 6, 7}), settings);
            int before = manager.getManagedArrays().size();
            try (NDManager nested = manager.newSubManager()) {
                nested.zeros(new ai.djl.ndarray.types.Shape(2));
                assertThat(manager.getManagedArrays()).as("arrays of nested managers are counted").hasSize(before + 1);
            }

            for (int call = 0; call < 500; call++) {
                int length = 1 + call % 5;
                int[] prompt = new int[length];
                for (int t = 0; t < length; t++) {
                    prompt[t] = 4 + random.nextInt(30);
                }
                if (call % 2 == 0) {
                    generator.generate(prompt, settings);
                } else {
                    generator.generate(List.of(prompt, new int[] {1, 9}), settings);
                }
            }

            assertThat(manager.getManagedArrays()).hasSize(before);
            assertThat(before).as("the weights and constants are counted").isGreaterThan(model.parameters().size());
        }
    }
}
