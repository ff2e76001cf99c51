package dev.tally.processing;

import dev.tally.support.UsePostgres;

@UsePostgres
class ConcurrencyPostgresIT extends AbstractConcurrencyIT {}
