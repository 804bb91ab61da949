package io.recalign.recommend;

import io.recalign.system.ProblemException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The request queue is full (503); the client should retry after {@link #retryAfter}. */
final class ServiceBusyException extends ProblemException {

    private final Duration retryAfter;

    ServiceBusyException(int capacity, Duration retryAfter) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "The service is busy: " + capacity
                + " requests are already waiting. Retry shortly.", Map.of("retryAfterSeconds", seconds(retryAfter)));
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least one, as the Retry-After header states them. */
    long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
