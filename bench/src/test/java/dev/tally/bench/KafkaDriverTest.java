package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaDriverTest {

    @Test
    void relayPositionsAreReadInTheServicesJsonAndInTheOlderBareForm() {
        assertThat(KafkaDriver.positionSeq("{\"seq\":2000,\"messageId\":\"b-2147\"}"))
                .isEqualTo(2000);
        assertThat(KafkaDriver.positionSeq("{\"messageId\":null,\"seq\":7}")).isEqualTo(7);
        assertThat(KafkaDriver.positionSeq("1234")).isEqualTo(1234);
        assertThatThrownBy(() -> KafkaDriver.positionSeq("{\"messageId\":\"x\"}"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void relayPositionKeysNameTheirFeedWithOrWithoutADeployment() {
        assertThat(KafkaDriver.positionFeed("0b6c3f2e-deployment/notifications"))
                .isEqualTo("notifications");
        assertThat(KafkaDriver.positionFeed("alerts")).isEqualTo("alerts");
    }
}
