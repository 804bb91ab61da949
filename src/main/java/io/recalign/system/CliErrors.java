package io.recalign.system;

/** Turns an exception into the one-line message the command line prints before exiting non-zero. */
final class CliErrors {

    private CliErrors() {
    }

    static String message(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause && isWrapper(cause)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }

    private static boolean isWrapper(Throwable error) {
        return error.getMessage() == null
                || error instanceof java.lang.reflect.InvocationTargetException
                || error instanceof org.springframework.beans.factory.BeanCreationException
                || error instanceof picocli.CommandLine.ExecutionException;
    }
}
