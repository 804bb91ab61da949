package io.recalign.recommend;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The recommendation API's meters: latency by decoding mode and source, tokens generated, batch sizes,
 * queue depth and violations by type (on /actuator/prometheus as recalign_recommend_*).
 */
@Component
class RecommendationMetrics {

    static final String LATENCY = "recalign.recommend.latency";
    static final String TOKENS = "recalign.recommend.tokens";
    static final String BATCH_SIZE = "recalign.recommend.batch.size";
    static final String QUEUE_DEPTH = "recalign.recommend.queue.depth";
    static final String VIOLATIONS = "recalign.recommend.violations";

    private final MeterRegistry registry;
    private final Counter tokens;
    private final DistributionSummary batchSizes;

    RecommendationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.tokens = Counter.builder(TOKENS).description("Tokens generated for recommendations").register(registry);
        this.batchSizes = DistributionSummary.builder(BATCH_SIZE).description("Requests decoded together per generation step")
                .publishPercentileHistogram().register(registry);
    }

    void latency(Decoding decoding, String source, Duration elapsed) {
        Timer.builder(LATENCY).description("Time to answer a recommendation request")
                .tag("decoding", decoding.label()).tag("source", source)
                .publishPercentileHistogram()
                .register(registry)
                .record(elapsed);
    }

    void decodingStep(int requests) {
        batchSizes.record(requests);
    }

    void generated(long generatedTokens) {
        tokens.increment(generatedTokens);
    }

    void queueDepth(Supplier<Number> depth) {
        Gauge.builder(QUEUE_DEPTH, depth).description("Recommendation requests waiting for a batch")
                .strongReference(true).register(registry);
    }

    void violations(List<Violation> violations) {
        for (Violation violation : violations) {
            Counter.builder(VIOLATIONS).description("Breaches of requests found in free answers")
                    .tag("type", violation.type()).register(registry).increment();
        }
    }
}
