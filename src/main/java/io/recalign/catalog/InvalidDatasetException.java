package io.recalign.catalog;

import io.recalign.system.ProblemException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * Bad input for an import (400): a missing file, an unknown format, a malformed line, nothing left
 * after filtering. A problem on one line of a file carries {@code file} and {@code line} as problem
 * members too.
 */
public class InvalidDatasetException extends ProblemException {

    public InvalidDatasetException(String message) {
        super(HttpStatus.BAD_REQUEST, message, Map.of());
    }

    public InvalidDatasetException(String message, Throwable cause) {
        this(message);
        initCause(cause);
    }

    private InvalidDatasetException(String message, Map<String, Object> properties) {
        super(HttpStatus.BAD_REQUEST, message, properties);
    }

    /** A problem on one line of one source file; the message names both. */
    static InvalidDatasetException atLine(String file, long line, String problem) {
        return new InvalidDatasetException(file + " line " + line + ": " + problem, Map.of("file", file, "line", line));
    }
}
