package dev.tally.outbox;

import dev.tally.support.UseH2;

@UseH2
class FeedH2IT extends AbstractFeedIT {}
