package dev.tally.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * A recordId may hold any character but control characters (SPEC §2), so
 * {@code GET /v1/records/{recordId}} receives {@code /}, {@code \}, {@code %}, {@code ;} and
 * {@code .} percent-encoded inside its one path segment (see {@code config.WebServerConfig}), and
 * the recordIds {@code .} and {@code ..} as they are. Spring Security's strict firewall would
 * reject all of those with a bare 400; it is relaxed for exactly these and keeps every other check.
 *
 * <p>Authorization stays sound: Spring Security's path matchers and Spring MVC both match the raw
 * path by whole segments (so {@code /v1/records/..} is the record {@code ..} to both, needing
 * {@code records:read}); the probes are matched exactly; a path that matches no rule is refused.
 */
@Configuration(proxyBeanMethods = false)
class RecordIdFirewall {

    @Bean
    static HttpFirewall recordIdsPassTheFirewall() {
        StrictHttpFirewall strict = new StrictHttpFirewall();
        strict.setAllowUrlEncodedSlash(true);
        strict.setAllowBackSlash(true);
        strict.setAllowUrlEncodedPercent(true);
        strict.setAllowSemicolon(true);
        strict.setAllowUrlEncodedPeriod(true);
        return new DotRecordIds(strict);
    }

    /**
     * Lets {@code /v1/records/.} and {@code /v1/records/..} through the strict firewall, whose
     * "normalized path" rule cannot be turned off: the request is checked as if its last segment
     * were a plain name, and then passed on unchanged.
     */
    static final class DotRecordIds implements HttpFirewall {

        private final StrictHttpFirewall strict;

        DotRecordIds(StrictHttpFirewall strict) {
            this.strict = strict;
        }

        @Override
        public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
            String records = request.getContextPath() + "/v1/records/";
            String uri = request.getRequestURI();
            if (uri != null && (uri.equals(records + ".") || uri.equals(records + ".."))) {
                strict.getFirewalledRequest(new HttpServletRequestWrapper(request) {
                    @Override
                    public String getRequestURI() {
                        return records + "dots";
                    }
                });
                return new FirewalledRequest(request) {
                    @Override
                    public void reset() {}
                };
            }
            return strict.getFirewalledRequest(request);
        }

        @Override
        public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
            return strict.getFirewalledResponse(response);
        }
    }
}
