package io.recalign.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** Well-formed input whose content cannot be used, e.g. a malformed line in an uploaded file (422). */
public class UnprocessableException extends ProblemException {

    public UnprocessableException(String message) {
        this(message, Map.of());
    }

    /** @param properties extra problem members, e.g. {@code file} and {@code line} */
    public UnprocessableException(String message, Map<String, Object> properties) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, message, properties);
    }
}
