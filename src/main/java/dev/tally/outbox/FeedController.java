package dev.tally.outbox;

import dev.tally.record.RecordJson;
import dev.tally.web.BadParameter;
import dev.tally.web.InvalidField;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * The notification and alert feeds (SPEC §4): {@code {"messages":[...],"next":SEQ}} in seq order
 * after {@code after}. Pass {@code next} back as {@code after} to continue; since seqs are gapless
 * and assigned in commit order, paging this way sees every message exactly once.
 */
@RestController
class FeedController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final OutboxStore outbox;

    FeedController(OutboxStore outbox) {
        this.outbox = outbox;
    }

    @GetMapping("/v1/notifications")
    void notifications(
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String limit,
            HttpServletResponse response)
            throws IOException {
        page(Feed.NOTIFICATIONS, after, limit, response);
    }

    @GetMapping("/v1/alerts")
    void alerts(
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String limit,
            HttpServletResponse response)
            throws IOException {
        page(Feed.ALERTS, after, limit, response);
    }

    private void page(Feed feed, String afterParam, String limitParam, HttpServletResponse response)
            throws IOException {
        List<InvalidField> errors = new ArrayList<>();
        long after = parse("after", afterParam, 0, 0, Long.MAX_VALUE, errors);
        long limit = parse("limit", limitParam, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw new BadParameter(errors);
        }
        List<OutboxMessage> messages = outbox.page(feed, after, (int) limit);
        long next =
                messages.isEmpty() ? after : messages.get(messages.size() - 1).seq();
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        try (JsonGenerator g =
                RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), response.getOutputStream())) {
            g.writeStartObject();
            g.writeName("messages");
            g.writeStartArray();
            for (OutboxMessage m : messages) {
                g.writeRawValue(m.payload());
            }
            g.writeEndArray();
            g.writeNumberProperty("next", next);
            g.writeEndObject();
        }
    }

    private static long parse(String name, String text, long fallback, long min, long max, List<InvalidField> errors) {
        if (text == null) {
            return fallback;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        errors.add(new InvalidField(name, "must be an integer from " + min + " to " + max));
        return fallback;
    }
}
