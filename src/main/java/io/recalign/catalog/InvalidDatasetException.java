package io.recalign.catalog;

/** Bad input for an import: a missing file, an unknown format, a malformed line, nothing left after filtering. */
public class InvalidDatasetException extends RuntimeException {

    public InvalidDatasetException(String message) {
        super(message);
    }

    public InvalidDatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem on one line of one source file; the message names both. */
    static InvalidDatasetException atLine(String file, long line, String problem) {
        return new InvalidDatasetException(file + " line " + line + ": " + problem);
    }
}
