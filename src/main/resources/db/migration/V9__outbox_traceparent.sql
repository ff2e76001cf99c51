-- The W3C trace context of the request or Kafka message that brought the record in
-- (https://www.w3.org/TR/trace-context/, version 00: 55 characters), so that the relay can write
-- it as the published message's traceparent header and a consumer's span continues the record's
-- trace. NULL when the record came in without one and nothing traced it.
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(55);
