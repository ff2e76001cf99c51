package dev.tally.web;

import dev.tally.support.UsePostgres;

@UsePostgres
class EdgeErrorsPostgresIT extends AbstractEdgeErrorsIT {}
