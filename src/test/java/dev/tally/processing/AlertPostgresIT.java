package dev.tally.processing;

import dev.tally.support.UsePostgres;

@UsePostgres
class AlertPostgresIT extends AbstractAlertIT {}
