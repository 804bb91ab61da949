package io.recalign.alignment;

import io.recalign.system.ProblemException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A stored model's files no longer match the digest recorded when it was registered: it is never loaded. */
public class CorruptModelException extends ProblemException {

    CorruptModelException(String message) {
        super(HttpStatus.INTERNAL_SERVER_ERROR, message, Map.of());
    }
}
