package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.outbox.RelayBeanTypes;
import dev.tally.support.UseH2;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;

/** The embedded default: no bootstrap servers, so no listener, no relay, nothing that would dial a broker. */
@SpringBootTest
@UseH2
class KafkaOffH2IT {

    @Autowired
    ApplicationContext context;

    @Test
    void withoutBootstrapServersNoKafkaComponentExists() {
        assertThat(context.getEnvironment().getProperty("spring.kafka.bootstrap-servers"))
                .isNull();
        assertThat(context.getBeansOfType(MessageListenerContainer.class)).isEmpty();
        assertThat(context.getBeansOfType(KafkaRecordListener.class)).isEmpty();
        for (Class<?> relayType : RelayBeanTypes.ALL) {
            assertThat(context.getBeanNamesForType(relayType))
                    .as(relayType.getName())
                    .isEmpty();
        }
        // the dead-letter template: the only KafkaTemplate<byte[], byte[]>
        assertThat(context.getBeanNamesForType(
                        ResolvableType.forClassWithGenerics(KafkaTemplate.class, byte[].class, byte[].class)))
                .isEmpty();
    }
}
