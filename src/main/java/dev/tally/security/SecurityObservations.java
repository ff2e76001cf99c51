package dev.tally.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Spring Security makes no observations of its own: with an observation registry it wraps every
 * filter of the chain in one (a span and a timer each), which cost the one-record request a large
 * part of its CPU (docs/performance.md) and tell nothing Spring MVC's server span does not. With
 * this bean it does not even install the wrapping decorator. {@code
 * management.observations.enable.spring.security=true} gives Spring Security's defaults back.
 */
@Configuration(proxyBeanMethods = false)
class SecurityObservations {

    @Bean
    @ConditionalOnProperty(
            name = "management.observations.enable.spring.security",
            havingValue = "false",
            matchIfMissing = true)
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }
}
