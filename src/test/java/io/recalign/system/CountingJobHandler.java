package io.recalign.system;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * A test job type: counts {@code steps} with a small sleep per step, logs a point per step with a
 * falling loss, checks for cancellation between steps and can fail on purpose. Records which jobs
 * ran and how many ran at once.
 */
@Component
public class CountingJobHandler implements JobHandler {

    static final String TYPE = "test-count";

    /** @param failAt step at which the run throws, or null */
    record Params(Integer steps, Integer sleepMillis, Integer failAt, String baseModel) {
        Params {
            steps = steps == null ? 5 : steps;
            sleepMillis = sleepMillis == null ? 5 : sleepMillis;
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1, not " + steps);
            }
            if (sleepMillis < 0) {
                throw new IllegalArgumentException("sleepMillis must not be negative");
            }
        }
    }

    private final List<Long> started = new CopyOnWriteArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Object validate(JobRequest request) {
        return request.params(Params.class);
    }

    @Override
    public void run(JobContext context) throws InterruptedException {
        started.add(context.jobId());
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try {
            Params params = context.params(Params.class);
            for (int step = 1; step <= params.steps(); step++) {
                context.checkCancelled();
                Thread.sleep(params.sleepMillis());
                context.log(JobProgress.steps(step, params.steps()).withPhase("counting")
                        .withLoss(1.0 / step).withLearningRate(1e-3).withMetric("half", step / 2.0));
                if (params.failAt() != null && params.failAt() == step) {
                    throw new IllegalStateException("failed on purpose at step " + step);
                }
            }
            context.result(Map.of("counted", params.steps()));
        } finally {
            active.decrementAndGet();
        }
    }

    /** Ids of the jobs this handler started, in order. */
    List<Long> started() {
        return List.copyOf(started);
    }

    int maxConcurrentRuns() {
        return maxActive.get();
    }
}
