package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SasRecModelTest {

    private static final List<int[]> HISTORIES = List.of(new int[] {3, 9, 27}, new int[] {}, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

    @Test
    void safetensorsRoundTripGivesIdenticalScores() {
        SasRecModel trained = SyntheticTeacher.trained().model();
        byte[] bytes = trained.toSafetensors();
        try (SasRecModel restored = SasRecModel.fromSafetensors(SyntheticTeacher.CONFIG, bytes)) {
            assertThat(restored.itemCount()).isEqualTo(trained.itemCount());
            assertThat(restored.scoreNext(HISTORIES)).containsExactly(trained.scoreNext(HISTORIES));
            assertThat(restored.toSafetensors()).isEqualTo(bytes);
        }
    }

    @Test
    void weightsUsePyTorchStyleNames() {
        assertThat(SyntheticTeacher.trained().model().weights().keySet()).startsWith(
                "item_embedding", "position_embedding",
                "layers.0.attention_norm.weight", "layers.0.attention_norm.bias",
                "layers.0.attention.qkv.weight", "layers.0.attention.qkv.bias")
                .endsWith("final_norm.weight", "final_norm.bias");
    }

    @Test
    void rejectsWeightsOfAnotherConfiguration() {
        byte[] bytes = SyntheticTeacher.trained().model().toSafetensors();
        SasRecConfig wider = new SasRecConfig(8, 64, 1, 2, 64, 0.1);
        assertThatThrownBy(() -> SasRecModel.fromSafetensors(wider, bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape");
        SasRecConfig deeper = new SasRecConfig(8, 32, 2, 2, 64, 0.1);
        assertThatThrownBy(() -> SasRecModel.fromSafetensors(deeper, bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers.1");
    }

    @Test
    void sameSeedSameInitialWeights() {
        try (SasRecModel a = SasRecModel.initialize(SyntheticTeacher.CONFIG, 50, 3);
             SasRecModel b = SasRecModel.initialize(SyntheticTeacher.CONFIG, 50, 3);
             SasRecModel c = SasRecModel.initialize(SyntheticTeacher.CONFIG, 50, 4)) {
            assertThat(b.toSafetensors()).isEqualTo(a.toSafetensors());
            assertThat(c.toSafetensors()).isNotEqualTo(a.toSafetensors());
        }
    }

    @Test
    void scoresDependOnlyOnTheLastMaxLengthItems() {
        SasRecModel model = SyntheticTeacher.trained().model();
        int[] longHistory = {50, 51, 52, 1, 2, 3, 4, 5, 6, 7, 8};      // 11 items, max length 8
        int[] lastEight = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(model.scoreNext(List.of(longHistory))).containsExactly(model.scoreNext(List.of(lastEight)));
    }
}
