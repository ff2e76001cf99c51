package dev.tally.outbox;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.time.ZoneOffset;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents 1.0 binary-mode headers of a published message ({@code ce_specversion},
 * {@code ce_id}, {@code ce_source}, {@code ce_type}, {@code ce_time}, {@code ce_subject},
 * {@code content-type}), written by the CloudEvents SDK's Kafka binding so that their names and
 * encodings are the spec's. The event carries no data here: the message's value stays the
 * payload as the feeds serve it, and the binding's record is used only for its headers.
 *
 * @param source {@code ce_source}: the deployment that published the message
 *               ({@code urn:tally:deployment:<deployment id>}, the identity the relay's positions
 *               and transactional.ids are keyed by), so that together with {@code ce_id} (the
 *               messageId) an event is unique across deployments
 */
record CloudEventHeaders(URI source) {

    static final String CONTENT_TYPE = "application/json";

    static CloudEventHeaders ofDeployment(String deploymentId) {
        return new CloudEventHeaders(URI.create("urn:tally:deployment:" + deploymentId));
    }

    /** The headers of {@code m} on {@code topic}: id = messageId, subject = destinationId, time = when it was written. */
    Headers of(OutboxMessage m, String topic) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(m.messageId())
                .withSource(source)
                .withType(m.feed().cloudEventType())
                .withTime(m.createdAt().atOffset(ZoneOffset.UTC))
                .withSubject(m.destinationId())
                .withDataContentType(CONTENT_TYPE)
                .build();
        return KafkaMessageFactory.createWriter(topic, m.destinationId())
                .writeBinary(event)
                .headers();
    }
}
