package io.recalign.system;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/** A request body larger than {@code recalign.http.max-body-size} (413). */
final class BodyTooLargeException extends ProblemException {

    BodyTooLargeException(DataSize limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "The request body exceeds the limit of " + limit + ".",
                Map.of("limit", limit.toBytes()));
    }
}
