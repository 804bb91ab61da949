package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TeacherJobParamsTest {

    @Test
    void missingParametersTakeThePapersValues() {
        TeacherJobParams params = new TeacherJobParams(null, null, null, null, null, null, null, null, null, null);
        assertThat(params.config()).isEqualTo(SasRecConfig.PAPER);
        assertThat(params.options()).isEqualTo(TrainingOptions.DEFAULTS);
    }

    @Test
    void givenParametersShapeTheModelAndTraining() {
        TeacherJobParams params = new TeacherJobParams(20, 64, 3, 4, 0.2, 7, 2, 128, 9, null);
        assertThat(params.config()).isEqualTo(new SasRecConfig(20, 64, 3, 4, 128, 0.2));
        assertThat(params.options()).isEqualTo(new TrainingOptions(7, 2, 128, 1e-3, 9, TrainingExamples.SHIFTED_WINDOWS));
    }

    @Test
    void invalidParametersAreNamed() {
        assertThatThrownBy(() -> new TeacherJobParams(0, null, null, null, null, null, null, null, null, null))
                .hasMessage("maxLen must be between 1 and 512, was 0");
        assertThatThrownBy(() -> new TeacherJobParams(null, 32, null, 64, null, null, null, null, null, null))
                .hasMessage("heads must be between 1 and 32, was 64");
        assertThatThrownBy(() -> new TeacherJobParams(null, null, null, null, null, null, null, 0, null, null))
                .hasMessage("batchSize must be between 1 and 65536, was 0");
        assertThatThrownBy(() -> new TeacherJobParams(null, 30, null, 4, null, null, null, null, null, null))
                .hasMessage("hidden (30) must be a multiple of heads (4)");
        assertThatThrownBy(() -> new TeacherJobParams(null, null, null, null, -0.1, null, null, null, null, null))
                .hasMessage("dropout must be in [0, 1), was -0.1");
    }
}
