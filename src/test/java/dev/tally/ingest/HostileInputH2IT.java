package dev.tally.ingest;

import dev.tally.support.UseH2;

@UseH2
class HostileInputH2IT extends AbstractHostileInputIT {}
