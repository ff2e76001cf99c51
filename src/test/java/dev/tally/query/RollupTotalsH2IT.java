package dev.tally.query;

import dev.tally.support.UseH2;

@UseH2
class RollupTotalsH2IT extends AbstractRollupTotalsIT {}
