package io.recalign.system;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says what is wrong with an unreadable JSON body in the client's terms (the field, the JSON type it
 * needs, where the syntax breaks), never in the service's: the parser's own messages name Java types and
 * method signatures.
 */
final class JsonProblems {

    /** Backtick-quoted fragments of parser messages hold Java types and method names. */
    private static final Pattern QUOTED_INTERNALS = Pattern.compile("`[^`]*`");

    private JsonProblems() {
    }

    /** The detail for a body that could not be read into the handler's argument. */
    static String describe(Throwable unreadable) {
        for (Throwable cause = unreadable; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException json) {
                return describe(json);
            }
        }
        String message = String.valueOf(unreadable.getMessage());
        return message.startsWith("Required request body is missing") ? "the request body is missing"
                : "the request body is not valid JSON";
    }

    private static String describe(JacksonException json) {
        String field = json.getPath().stream()
                .map(reference -> reference.getPropertyName() != null ? "." + reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining());
        String where = field.isEmpty() ? "the body" : "field '" + field.replaceFirst("^\\.", "") + "'";
        if (json instanceof UnrecognizedPropertyException) {
            return "unknown " + where;
        }
        if (json instanceof MismatchedInputException mismatch) {
            return where + " must be " + jsonType(mismatch.getTargetType());
        }
        if (json instanceof StreamConstraintsException) {
            return "the JSON exceeds the parser's limits (nesting depth, length of a number, string or name)";
        }
        String problem = json instanceof StreamReadException
                ? QUOTED_INTERNALS.matcher(String.valueOf(json.getOriginalMessage()).lines().findFirst().orElse(""))
                        .replaceAll("a value")
                : "";
        TokenStreamLocation location = json.getLocation();
        String at = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "malformed JSON" + at + (problem.isBlank() ? "" : ": " + problem);
    }

    /** The JSON type a Java target type is read from. */
    private static String jsonType(Class<?> target) {
        if (target == null) {
            return "of another JSON type";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class
                || target == Short.class || target == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
            return "a number";
        }
        if (target == String.class || target == Character.class || target == char.class || target.isEnum()) {
            return "a string";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord() || !target.getName().startsWith("java.")) {
            return "an object";
        }
        return "of another JSON type";
    }
}
