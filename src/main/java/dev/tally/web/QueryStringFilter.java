package dev.tally.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A malformed query string ({@code ?=}, {@code ?a=%ZZ}) is a 400 problem for every request, before
 * any controller, actuator endpoint or security filter reads a parameter. Tomcat parses the query
 * lazily, on the first {@code getParameter}, and throws {@link InvalidParameterException} from
 * there; escaping the servlet, that was logged as an ERROR with its stack trace and answered with
 * Spring's default error JSON — a log flood that any client could trigger.
 *
 * <p>Only the query is parsed here: a form body is left unread, so that this filter never reads a
 * body that the controller streams.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // after the character-encoding filter, which sets how parameters decode
class QueryStringFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getQueryString() != null && !isForm(request.getContentType())) {
            try {
                request.getParameterMap();
            } catch (InvalidParameterException e) {
                int status = e.getErrorCode() >= 400 && e.getErrorCode() < 500 ? e.getErrorCode() : 400;
                ProblemDetail problem = EdgeProblems.forStatus(
                        status,
                        "The query string is malformed (for example "
                                + "a parameter without a name, or an invalid percent-encoding); nothing was done.");
                EdgeProblems.send(response, problem);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE) || type.startsWith("multipart/");
    }
}
