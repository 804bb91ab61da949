package io.recalign.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the caller can act on. Over HTTP it becomes an RFC 9457 problem with this status, the
 * message as {@code detail} and the extra properties as members; on the command line, the message.
 */
public abstract class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> properties;

    protected ProblemException(HttpStatus status, String message, Map<String, Object> properties) {
        super(message);
        this.status = status;
        this.properties = Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    /** Extra problem members, e.g. the offending line of an import. */
    public Map<String, Object> properties() {
        return properties;
    }
}
