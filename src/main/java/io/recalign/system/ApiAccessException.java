package io.recalign.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A public API request without a valid API key (401), or over its key's rate limit (429). */
final class ApiAccessException extends ProblemException {

    private ApiAccessException(HttpStatus status, String message, Map<String, Object> properties) {
        super(status, message, properties);
    }

    static ApiAccessException missingKey() {
        return new ApiAccessException(HttpStatus.UNAUTHORIZED,
                "The API needs an '" + SecurityConfiguration.API_KEY_HEADER + "' header with a valid key.", Map.of());
    }

    static ApiAccessException unknownKey() {
        return new ApiAccessException(HttpStatus.UNAUTHORIZED, "The API key is not valid.", Map.of());
    }

    static ApiAccessException rateLimited(long retryAfterSeconds) {
        return new ApiAccessException(HttpStatus.TOO_MANY_REQUESTS,
                "This API key has used up its requests per minute; retry after " + retryAfterSeconds + " s.",
                Map.of("retryAfter", retryAfterSeconds));
    }
}
