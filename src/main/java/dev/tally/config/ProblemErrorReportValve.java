package dev.tally.config;

import dev.tally.web.EdgeProblems;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's error page as RFC 9457 problem JSON instead of HTML: the answer to requests that Tomcat
 * refuses before any servlet runs (an invalid percent-encoding such as {@code %ZZ}, an encoded NUL,
 * invalid UTF-8 such as {@code %C0%AF}, a request line or headers too large for the header buffer).
 * Errors that reach the servlet are answered by the application itself ({@code web.ErrorProblemController}).
 *
 * <p>Tomcat answers an over-long request line, over-long headers and too many headers alike with
 * 400; they are told apart here by Tomcat's message (in Tomcat's own locale) and by whether the
 * request line was parsed: 414 when it overflowed the header buffer, 431 when the headers did
 * after it or were more than {@code maxHeaderCount}. Nothing is logged: these are the
 * client's errors, and Tomcat logs its first parse failure at INFO, later ones at DEBUG.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    /** The message of Tomcat's IllegalArgumentException when the request line and headers do not fit, in Tomcat's locale. */
    private static final String HEADER_TOO_LARGE =
            StringManager.getManager("org.apache.coyote.http11").getString("iib.requestheadertoolarge.error");

    /** The start of the message with which Tomcat refuses more headers than {@code maxHeaderCount}. */
    private static final String TOO_MANY_HEADERS =
            prefix(StringManager.getManager("org.apache.tomcat.util.http").getString("headers.maxCountFail"));

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's own report: nothing for non-errors, for bodies already written or errors already reported
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String message = throwable == null ? null : throwable.getMessage();
        if (status == 400 && message != null) {
            if (throwable instanceof IllegalArgumentException && message.equals(HEADER_TOO_LARGE)) {
                status = request.getCoyoteRequest().requestURI().isNull() ? 414 : 431;
            } else if (throwable instanceof IllegalStateException && message.startsWith(TOO_MANY_HEADERS)) {
                status = 431;
            }
            response.setStatus(status);
        }
        ProblemDetail problem = EdgeProblems.forStatus(status, detail(status));
        try {
            response.setContentType(EdgeProblems.MEDIA_TYPE);
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(EdgeProblems.json(problem), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was taken over meanwhile: nothing left to tell it
            container.getLogger().debug("Could not write the problem response for status " + status, e);
        }
    }

    private static String prefix(String pattern) {
        int arg = pattern.indexOf("{0}");
        return arg < 0 ? pattern : pattern.substring(0, arg);
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 ->
                "The request is malformed: its request line, a header or the URI (for example an invalid "
                        + "percent-encoding such as %ZZ, an encoded NUL, or percent-encoded bytes that are not UTF-8).";
            case 414 -> "The request line is longer than the server accepts (server.max-http-request-header-size).";
            case 431 ->
                "The request headers are larger than the server accepts (server.max-http-request-header-size), "
                        + "or there are more than 100 of them.";
            case 404 -> "There is no resource at this path.";
            case 500 -> "An unexpected error occurred; it has been logged.";
            default -> "The server refused the request.";
        };
    }
}
