package dev.tally.ingest;

import dev.tally.support.UseH2;

@UseH2
class RecordIngestH2IT extends AbstractRecordIngestIT {}
