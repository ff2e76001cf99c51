package dev.tally.security;

import dev.tally.support.UsePostgres;

@UsePostgres
class SecurityPostgresIT extends AbstractSecurityIT {}
