package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SasRecConfigTest {

    @Test
    void paperDefaults() {
        assertThat(SasRecConfig.PAPER).isEqualTo(new SasRecConfig(10, 128, 2, 2, 256, 0.5));
        assertThat(SasRecConfig.PAPER.headSize()).isEqualTo(64);
        assertThat(TrainingOptions.DEFAULTS.epochs()).isEqualTo(200);
        assertThat(TrainingOptions.DEFAULTS.patience()).isEqualTo(10);
        assertThat(TrainingOptions.DEFAULTS.batchSize()).isEqualTo(256);
        assertThat(TrainingOptions.DEFAULTS.learningRate()).isEqualTo(1e-3);
        assertThat(TrainingOptions.DEFAULTS.seed()).isEqualTo(1);
    }

    @Test
    void rejectsInvalidArchitectures() {
        assertThatThrownBy(() -> new SasRecConfig(0, 128, 2, 2, 256, 0.5)).hasMessageContaining("maxLength");
        assertThatThrownBy(() -> new SasRecConfig(10, 100, 2, 3, 256, 0.5)).hasMessageContaining("multiple of heads");
        assertThatThrownBy(() -> new SasRecConfig(10, 128, 2, 2, 256, 1.0)).hasMessageContaining("dropout");
        assertThatThrownBy(() -> new SasRecConfig(10, 128, 0, 2, 256, 0.5)).hasMessageContaining("blocks");
    }

    @Test
    void rejectsInvalidTrainingOptions() {
        assertThatThrownBy(() -> TrainingOptions.DEFAULTS.withEpochs(0)).hasMessageContaining("epochs");
        assertThatThrownBy(() -> new TrainingOptions(1, 1, 1, 0, 1, TrainingExamples.ALL_WINDOWS))
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new TrainingOptions(1, 1, 0, 1e-3, 1, TrainingExamples.ALL_WINDOWS))
                .hasMessageContaining("batchSize");
    }

    @Test
    void configJsonRoundTrip() {
        String json = SasRecConfig.PAPER.toJson();
        assertThat(json).contains("\"maxLength\":10", "\"dropout\":0.5");
        assertThat(SasRecConfig.fromJson(json)).isEqualTo(SasRecConfig.PAPER);
        assertThatThrownBy(() -> SasRecConfig.fromJson("{\"maxLength\":10,\"hidden\":7,\"blocks\":2,\"heads\":2,\"feedForward\":256,\"dropout\":0.5}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of heads");
    }
}
