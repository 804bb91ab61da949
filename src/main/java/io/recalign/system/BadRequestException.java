package io.recalign.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** The request is malformed or names invalid options (400). */
public class BadRequestException extends ProblemException {

    public BadRequestException(String message) {
        super(HttpStatus.BAD_REQUEST, message, Map.of());
    }
}
