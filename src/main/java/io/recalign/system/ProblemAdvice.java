package io.recalign.system;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves the service as an RFC 9457 problem ({@code application/problem+json}). Spring's
 * base class covers the framework's exceptions (404, 405, 415, unreadable bodies, 413 uploads); this
 * adds the application's own, authentication failures, field-level validation details, a 503 with
 * Retry-After when the database cannot be reached, and a 500 that reveals nothing but a reference to
 * the log entry.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    /** SQLSTATE 22021: a byte sequence the database encoding cannot hold (PostgreSQL: a NUL in text). */
    private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    /** What a 503 for an unreachable database suggests: about one readiness probe period. */
    private static final long DATABASE_RETRY_AFTER_SECONDS = 5;

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handleProblem(ProblemException exception) {
        return ResponseEntity.status(exception.status()).body(problemOf(exception));
    }

    /** Reached through the security entry point; the client must present the admin token. */
    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> handleAuthentication(AuthenticationException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, exception.getMessage());
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception exception) {
        if (DatabaseFaults.isUnavailable(exception)) {
            return databaseUnavailable(exception);
        }
        String reference = UUID.randomUUID().toString();
        log.error("Unexpected error (reference {})", reference, exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred; the service log has the details under this reference.");
        problem.setProperty("reference", reference);
        return ResponseEntity.internalServerError().body(problem);
    }

    /**
     * 503 with Retry-After: the request needed the database and it cannot be reached (the connection
     * pool gives up after {@code spring.datasource.hikari.connection-timeout}). Nothing of the request
     * was stored; the client may retry it as is.
     */
    private static ResponseEntity<ProblemDetail> databaseUnavailable(Exception exception) {
        log.warn("Database unavailable: {}", exception.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The database is unavailable; retry shortly.");
        problem.setProperty("retryAfterSeconds", DATABASE_RETRY_AFTER_SECONDS);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER_SECONDS))
                .body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // a streamed body that ran past the limit surfaces here, wrapped by the JSON reader
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return handleExceptionInternal(exception, problemOf(tooLarge), headers, tooLarge.status(), request);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not readable: " + JsonProblems.describe(exception));
        return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = exception.getBindingResult().getAllErrors().stream()
                .map(error -> Map.of(
                        "field", error instanceof FieldError field ? field.getField() : error.getObjectName(),
                        "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        ProblemDetail problem = exception.getBody();
        problem.setDetail("The request has invalid fields.");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(exception, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = exception.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> Map.of(
                        "field", String.valueOf(result.getMethodParameter().getParameterName()),
                        "message", messageOf(error))))
                .toList();
        ProblemDetail problem = exception.getBody();
        problem.setDetail("The request has invalid parameters.");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(exception, problem, headers, status, request);
    }

    /** A multipart body the container cannot parse (no boundary, broken part headers) is the client's error. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> handleMalformedMultipart(MultipartException exception) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The multipart request is malformed."));
    }

    /** PostgreSQL text cannot hold NUL characters: a request value with one is the client's error. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> handleUnstorableText(DataIntegrityViolationException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && CHARACTER_NOT_IN_REPERTOIRE.equals(sql.getSQLState())) {
                return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                        "The request holds text that cannot be stored, such as a NUL character."));
            }
        }
        return handleUnexpected(exception);
    }

    private static ProblemDetail problemOf(ProblemException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(exception.status(), exception.getMessage());
        exception.properties().forEach(problem::setProperty);
        return problem;
    }

    private static String messageOf(MessageSourceResolvable error) {
        return String.valueOf(error.getDefaultMessage());
    }
}
