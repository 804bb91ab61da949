package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Training, like generation, must leave no native array behind: a long SFT or RL run keeps flat memory. */
class TrainingMemoryTest extends TorchTest {

    @Test
    void fiftyTrainingStepsLeaveNoArrayBehind() {
        try (NDManager manager = NDManager.newBaseManager();
             LlamaModel model = LlamaModel.create(TrainingTest.TINY, manager, 5);
             AdamW optimizer = new AdamW(model, AdamW.Settings.defaults(), LearningRateSchedule.constant(1e-3))) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            int[][] tokens = {{1, 5, 6, 7, 8}, {1, 9, 10}};
            boolean[][] mask = {{false, false, true, true, true}, {false, true, true}};
            trainer.step(tokens, mask);
            int before = manager.getManagedArrays().size();
            for (int step = 0; step < 50; step++) {
                trainer.step(tokens, mask);
            }
            assertThat(manager.getManagedArrays()).hasSize(before);
        }
    }
}
