package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ServingPropertiesTest {

    private static ServingProperties withInferenceThreads(int threads) {
        return new ServingProperties(16, Duration.ofMillis(5), 256, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(2), DataSize.ofKilobytes(64), threads);
    }

    @Test
    void inferenceTakesHalfTheCoresUnlessTold() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(withInferenceThreads(0).intraOpThreads()).isEqualTo(Math.max(1, cores / 2));
        assertThat(withInferenceThreads(3).intraOpThreads()).isEqualTo(3);
        assertThatThrownBy(() -> withInferenceThreads(-1))
                .hasMessage("recalign.serving.inference-threads must not be negative, was -1");
    }
}
