package dev.tally.web;

import dev.tally.support.UseH2;

@UseH2
class EdgeErrorsH2IT extends AbstractEdgeErrorsIT {}
