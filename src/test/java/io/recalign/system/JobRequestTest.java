package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRequestTest {

    record Params(Integer epochs, Double lr, String baseModel) {
        Params {
            epochs = epochs == null ? 10 : epochs;
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, not " + epochs);
            }
        }
    }

    @Test
    void bindsParametersToTheHandlersRecordWithDefaults() {
        JobRequest request = JobRequest.of("teacher", "ml", Map.of("lr", 0.01));

        Params params = request.params(Params.class);

        assertThat(params.epochs()).isEqualTo(10);
        assertThat(params.lr()).isEqualTo(0.01);
        assertThat(JobParams.toObject(params).get("epochs").asInt()).isEqualTo(10);
    }

    @Test
    void anUnknownParameterIsNamedWithTheKnownOnes() {
        JobRequest request = JobRequest.of("teacher", "ml", Map.of("epohcs", 3));

        assertThatThrownBy(() -> request.params(Params.class))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("unknown parameter 'epohcs'; known parameters: baseModel, epochs, lr");
    }

    @Test
    void aParameterOfTheWrongTypeIsNamed() {
        JobRequest request = JobRequest.of("teacher", "ml", Map.of("epochs", "many"));

        assertThatThrownBy(() -> request.params(Params.class))
                .isInstanceOf(BadRequestException.class)
                .hasMessageStartingWith("parameter 'epochs': ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theRecordsOwnCheckBecomesTheMessage() {
        JobRequest request = JobRequest.of("teacher", "ml", Map.of("epochs", 0));

        assertThatThrownBy(() -> request.params(Params.class))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("invalid parameters: epochs must be at least 1, not 0");
    }

    @Test
    void aTypeIsRequiredAndParametersAreCopied() {
        assertThatThrownBy(() -> JobRequest.of(" ", "ml", Map.of())).isInstanceOf(BadRequestException.class);

        JobRequest request = JobRequest.of("teacher", " ", null);
        request.params().put("epochs", 3);

        assertThat(request.dataset()).isNull();
        assertThat(request.params().isEmpty()).isTrue();
    }
}
