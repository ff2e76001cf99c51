package dev.tally.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP ingest edge (prefix {@code tally.ingest}).
 *
 * @param maxBatch        items in one JSON-array batch (SPEC: default 10,000); larger gets 413
 * @param maxRecordBytes  bytes of one record: a single POST body, one NDJSON line
 * @param maxBatchBytes   bytes of one JSON-array batch body (NDJSON bodies have no total limit)
 * @param ndjsonChunk     NDJSON lines submitted to the writer together
 */
@Validated
@ConfigurationProperties("tally.ingest")
public record IngestProperties(
        @Min(1) @DefaultValue("10000") int maxBatch,
        @NotNull @DefaultValue("1MB") DataSize maxRecordBytes,
        @NotNull @DefaultValue("64MB") DataSize maxBatchBytes,
        @Min(1) @DefaultValue("2000") int ndjsonChunk) {}
