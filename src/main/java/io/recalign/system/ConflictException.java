package io.recalign.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** The request clashes with the current state, e.g. a duplicate name (409). */
public class ConflictException extends ProblemException {

    public ConflictException(String message) {
        super(HttpStatus.CONFLICT, message, Map.of());
    }
}
