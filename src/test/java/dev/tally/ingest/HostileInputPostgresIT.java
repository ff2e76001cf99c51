package dev.tally.ingest;

import dev.tally.support.UsePostgres;

@UsePostgres
class HostileInputPostgresIT extends AbstractHostileInputIT {}
