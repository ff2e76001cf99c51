package dev.tally.outbox;

import dev.tally.record.RecordJson;
import dev.tally.web.BadParameter;
import dev.tally.web.EdgeProblems;
import dev.tally.web.InvalidField;
import dev.tally.web.api.ApiExamples;
import dev.tally.web.api.ApiSchemas;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "feeds", description = "The outbox's messages in emission order: notifications and alerts")
class FeedController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final OutboxStore outbox;

    FeedController(OutboxStore outbox) {
        this.outbox = outbox;
    }

    @GetMapping("/v1/notifications")
    @Operation(summary = "Notifications (record.processed), one per accepted record")
    @ApiResponse(
            responseCode = "200",
            description = "A page of messages and the position to continue from",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ApiSchemas.NotificationPage.class),
                            examples = @ExampleObject(name = "notifications", value = ApiExamples.NOTIFICATIONS)))
    @ApiResponse(
            responseCode = "400",
            description = "invalid-parameter: after or limit out of range (errors[] names it), or bad-request",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "invalid", value = ApiExamples.PROBLEM_INVALID_LIMIT)))
    void notifications(
            @Parameter(
                            description = "Position to read after: the next of the previous page (0: from the start)",
                            schema = @Schema(type = "integer", format = "int64", minimum = "0", defaultValue = "0"),
                            example = "0")
                    @RequestParam(required = false)
                    String after,
            @Parameter(
                            description = "At most this many messages",
                            schema = @Schema(type = "integer", minimum = "1", maximum = "10000", defaultValue = "100"),
                            example = "1")
                    @RequestParam(required = false)
                    String limit,
            HttpServletResponse response)
            throws IOException {
        page(Feed.NOTIFICATIONS, after, limit, response);
    }

    @GetMapping("/v1/alerts")
    @Operation(summary = "Alerts (record.threshold_exceeded): records whose value is above their unit's threshold")
    @ApiResponse(
            responseCode = "200",
            description = "A page of messages and the position to continue from",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ApiSchemas.AlertPage.class),
                            examples = @ExampleObject(name = "alerts", value = ApiExamples.ALERTS)))
    @ApiResponse(
            responseCode = "400",
            description = "invalid-parameter: after or limit out of range (errors[] names it), or bad-request",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "invalid", value = ApiExamples.PROBLEM_INVALID_LIMIT)))
    void alerts(
            @Parameter(
                            description = "Position to read after: the next of the previous page (0: from the start)",
                            schema = @Schema(type = "integer", format = "int64", minimum = "0", defaultValue = "0"),
                            example = "0")
                    @RequestParam(required = false)
                    String after,
            @Parameter(
                            description = "At most this many messages",
                            schema = @Schema(type = "integer", minimum = "1", maximum = "10000", defaultValue = "100"),
                            example = "1")
                    @RequestParam(required = false)
                    String limit,
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
