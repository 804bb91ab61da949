package io.recalign.tasks;

import io.recalign.system.UnprocessableException;

/** The controls leave too few catalog items to fill the list (422). */
public final class UnsatisfiableRequestException extends UnprocessableException {

    UnsatisfiableRequestException(String message) {
        super(message);
    }
}
