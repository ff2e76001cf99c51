package dev.tally.config;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Kafka is on when {@code spring.kafka.bootstrap-servers} (env {@code SPRING_KAFKA_BOOTSTRAP_SERVERS})
 * is set and not blank. Off, no Kafka bean that connects exists: the embedded default never tries
 * to reach a broker.
 */
public class KafkaEnabled implements Condition {

    public static final String PROPERTY = "spring.kafka.bootstrap-servers";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return StringUtils.hasText(context.getEnvironment().getProperty(PROPERTY));
    }
}
