package dev.tally.processing;

import dev.tally.support.UsePostgres;

@UsePostgres
class SummaryPostgresIT extends AbstractSummaryIT {}
