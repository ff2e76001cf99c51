package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads a whole feed by paging through it, as a downstream consumer would. */
public final class Feeds {

    private Feeds() {}

    /** Every message of {@code /v1/notifications} or {@code /v1/alerts}, in feed order. */
    public static List<JsonNode> all(Api api, String path) {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            Api.Response page = api.get(path + "?after=" + after + "&limit=1000");
            assertThat(page.status()).as("GET %s", path).isEqualTo(200);
            JsonNode messages = page.json().get("messages");
            if (messages.isEmpty()) {
                return all;
            }
            messages.forEach(all::add);
            after = page.json().get("next").asLong();
        }
    }

    /** Asserts the messages' seqs are 1, 2, 3, ... without gaps. */
    public static void assertGapless(List<JsonNode> messages) {
        for (int i = 0; i < messages.size(); i++) {
            assertThat(messages.get(i).get("seq").asLong())
                    .as("seq of message %d", i)
                    .isEqualTo(i + 1L);
        }
    }
}
