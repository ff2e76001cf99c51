package dev.tally.processing;

import dev.tally.support.UseH2;

@UseH2
class ConcurrencyH2IT extends AbstractConcurrencyIT {}
