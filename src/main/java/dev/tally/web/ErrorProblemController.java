package dev.tally.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}, the target of every {@code sendError} and of
 * exceptions that escape the servlet) as problem JSON, in place of Spring Boot's
 * {@code {"timestamp","status","error","path"}}: the edge speaks one error language. Registered for
 * every method, so that it answers a TRACE or a DELETE as it answers a GET. Exceptions are not
 * logged here: the container already logged those that escaped, and a 4xx is the client's error.
 */
@Hidden // the container's error page, not an operation of the API
@RestController
class ErrorProblemController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // no status: not an error dispatch but a client asking for /error itself
        int status = code == null ? 404 : code instanceof Integer i && i >= 400 ? i : 500;
        ProblemDetail problem = EdgeProblems.forStatus(status, detail(status));
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            EdgeProblems.withInstance(problem, uri);
        }
        EdgeProblems.send(response, problem);
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 404 -> "There is no resource at this path.";
            case 405 -> "The method is not supported for this resource.";
            case 500 -> "An unexpected error occurred; it has been logged.";
            default -> "The server refused the request.";
        };
    }
}
