package dev.tally.web;

import java.net.URI;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps the exceptions that can leave any controller to problem responses; the framework's own
 * (405, 415, missing parameters...) become problems through {@link ResponseEntityExceptionHandler}.
 * Database and queue failures are mapped by {@code processing.FailureAdvice}, which knows them.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @ExceptionHandler(MalformedBody.class)
    ResponseEntity<ProblemDetail> malformed(MalformedBody e) {
        return ResponseEntity.badRequest().body(Problems.problem(ProblemType.MALFORMED_JSON, e.getMessage()));
    }

    @ExceptionHandler(BodyTooLarge.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLarge e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(Problems.problem(ProblemType.TOO_LARGE, e.getMessage()));
    }

    @ExceptionHandler(BadParameter.class)
    ResponseEntity<ProblemDetail> badParameter(BadParameter e) {
        return ResponseEntity.badRequest().body(Problems.invalid(ProblemType.INVALID_PARAMETER, e.errors()));
    }

    /**
     * Spring's own problems (no handler 404, 405, 415, an unreadable body...) carry {@code about:blank};
     * they get the type {@link EdgeProblems} gives their status, like every other problem of the edge.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> answer = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (answer != null
                && answer.getBody() instanceof ProblemDetail p
                && (p.getType() == null || ABOUT_BLANK.equals(p.getType()))) {
            ProblemType type = ProblemType.forStatus(p.getStatus());
            p.setType(type.uri());
            if (type.status() == p.getStatus()) {
                p.setTitle(type.title());
            }
            if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
                p.setDetail(unsupportedDetail(unsupported));
            }
        }
        return answer;
    }

    /** Names what was sent and what is taken, instead of Spring's "Content-Type 'null' is not supported". */
    private static String unsupportedDetail(HttpMediaTypeNotSupportedException e) {
        String sent = e.getContentType() == null ? "no Content-Type" : "Content-Type " + e.getContentType();
        return "This call does not take " + sent + "; send one of: "
                + e.getSupportedMediaTypes().stream().map(Object::toString).collect(Collectors.joining(", "))
                + ". Nothing was read or stored.";
    }
}
