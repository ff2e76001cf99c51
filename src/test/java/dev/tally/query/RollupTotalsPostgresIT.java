package dev.tally.query;

import dev.tally.support.UsePostgres;

@UsePostgres
class RollupTotalsPostgresIT extends AbstractRollupTotalsIT {}
