package io.recalign.recommend;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the recommendation API under {@code recalign.serving.*}.
 *
 * @param maxBatchSize      most requests decoded together
 * @param maxWait           how long an idle service's first request waits for more, while they are fewer
 *                          than the clients answered together last (a lone client never waits)
 * @param queueCapacity     requests waiting beyond this are refused with 503 and Retry-After
 * @param retryAfter        what the 503 tells clients to wait
 * @param requestTimeout    a request not answered by then gets 504
 * @param modelPollInterval how often the active models are checked when no notification arrives
 * @param maxBodySize       largest accepted request body (413 above)
 * @param inferenceThreads  PyTorch intra-op threads of the inference thread; 0 means half the cores (at
 *                          least one), which leaves the others to the HTTP threads that resolve requests
 *                          and to guided decoding between steps: with every core, the engine's idle
 *                          worker threads spin on the cores those need (on two cores under concurrency 8,
 *                          OpenMP's wait loop took 39 % of the process's CPU samples)
 */
@ConfigurationProperties("recalign.serving")
record ServingProperties(
        @DefaultValue("16") int maxBatchSize,
        @DefaultValue("30ms") Duration maxWait,
        @DefaultValue("256") int queueCapacity,
        @DefaultValue("1s") Duration retryAfter,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("2s") Duration modelPollInterval,
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue("0") int inferenceThreads) {

    ServingProperties {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("recalign.serving.max-batch-size must be at least 1, was " + maxBatchSize);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("recalign.serving.queue-capacity must be at least 1, was " + queueCapacity);
        }
        if (inferenceThreads < 0) {
            throw new IllegalArgumentException("recalign.serving.inference-threads must not be negative, was " + inferenceThreads);
        }
        if (maxWait.isNegative() || requestTimeout.isZero() || requestTimeout.isNegative() || modelPollInterval.isZero() || modelPollInterval.isNegative()) {
            throw new IllegalArgumentException("recalign.serving durations must be positive (max-wait may be 0)");
        }
    }

    /** The intra-op thread count the inference thread runs with. */
    int intraOpThreads() {
        return inferenceThreads > 0 ? inferenceThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
