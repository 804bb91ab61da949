package io.recalign.recommend;

import io.recalign.system.ProblemException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A request was not answered within {@code recalign.serving.request-timeout} (504). */
final class RequestTimeoutException extends ProblemException {

    RequestTimeoutException(Duration timeout) {
        super(HttpStatus.GATEWAY_TIMEOUT, "No answer within " + timeout.toMillis() + " ms; the service is overloaded.",
                Map.of("timeoutMs", timeout.toMillis()));
    }
}
