package dev.tally.outbox;

import dev.tally.support.UsePostgres;

@UsePostgres
class FeedPostgresIT extends AbstractFeedIT {}
