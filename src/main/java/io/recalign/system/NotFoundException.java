package io.recalign.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A requested resource does not exist (404). */
public class NotFoundException extends ProblemException {

    public NotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, message, Map.of());
    }
}
