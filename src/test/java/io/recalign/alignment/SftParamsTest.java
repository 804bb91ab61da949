package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.llm.LlamaConfig;
import org.junit.jupiter.api.Test;

class SftParamsTest {

    private static SftParams params(Integer steps, Double lr, String baseModel, SftParams.ModelShape shape) {
        return new SftParams(baseModel, null, null, null, steps, null, null, null, lr, null, null, null, null, null,
                null, null, null, null, null, null, shape, null, null, null, null, null, null);
    }

    @Test
    void defaultsDependOnWhereTheModelComesFrom() {
        SftParams scratch = params(null, null, null, null).withDefaults();
        SftParams pretrained = params(null, null, "some/checkpoint", null).withDefaults();

        assertThat(scratch.lr()).isEqualTo(1e-3);
        assertThat(pretrained.lr()).isEqualTo(1e-4);
        assertThat(scratch.minLr()).isEqualTo(1e-4);
        assertThat(scratch.epochs()).isEqualTo(3);
        assertThat(scratch.batchSize()).isEqualTo(16);
        assertThat(scratch.seed()).isEqualTo(SftParams.DEFAULT_SEED);
        assertThat(scratch.scratchConfig(500)).isEqualTo(LlamaConfig.defaultCpu(500));
    }

    @Test
    void theScheduleFollowsTheDataUnlessStepsAreGiven() {
        SftParams.SftSchedule byEpochs = params(null, null, null, null).withDefaults().schedule(1000);
        assertThat(byEpochs.steps()).isEqualTo(188);  // 3 epochs of 1000 examples in batches of 16
        assertThat(byEpochs.warmupSteps()).isEqualTo(9);
        assertThat(byEpochs.evalEvery()).isEqualTo(20);
        assertThat(byEpochs.checkpointEvery()).isEqualTo(20);

        SftParams.SftSchedule fixed = params(5000, null, null, null).withDefaults().schedule(1000);
        assertThat(fixed.steps()).isEqualTo(5000);
        assertThat(fixed.warmupSteps()).isEqualTo(200);
        assertThat(fixed.evalEvery()).isEqualTo(500);
    }

    @Test
    void aShapeChangesOnlyTheSizeOfTheDefaultModel() {
        LlamaConfig config = params(null, null, null, new SftParams.ModelShape(64, 176, 2, 4, 2, 128)).scratchConfig(300);

        assertThat(config.hiddenSize()).isEqualTo(64);
        assertThat(config.headDim()).isEqualTo(16);
        assertThat(config.numHiddenLayers()).isEqualTo(2);
        assertThat(config.maxPositionEmbeddings()).isEqualTo(128);
        assertThat(config.vocabSize()).isEqualTo(300);
        assertThat(config.eosTokenIds()).isEqualTo(LlamaConfig.defaultCpu(300).eosTokenIds());
    }

    @Test
    void impossibleSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> params(0, null, null, null)).hasMessageContaining("steps must be at least 1");
        assertThatThrownBy(() -> params(null, 2.0, null, null)).hasMessageContaining("lr must lie in (0, 1)");
        assertThatThrownBy(() -> params(null, null, "dir", new SftParams.ModelShape(64, null, null, null, null, null)))
                .hasMessageContaining("does not go with baseModel");
        assertThatThrownBy(() -> params(null, null, null, new SftParams.ModelShape(65, null, null, 4, null, null)))
                .hasMessageContaining("must be a multiple of model.heads");
        assertThatThrownBy(() -> new SftParams("a", 3L, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)).hasMessageContaining("not both");
        assertThatThrownBy(() -> new SftParams(null, 3L, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, true, null))
                .hasMessageContaining("categoryInit starts a new model");
    }
}
