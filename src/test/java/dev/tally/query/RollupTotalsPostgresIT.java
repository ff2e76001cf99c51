package dev.tally.query;

import dev.tally.support.UsePostgres;

@UsePostgres
class HourlyTotalsPostgresIT extends AbstractHourlyTotalsIT {}
