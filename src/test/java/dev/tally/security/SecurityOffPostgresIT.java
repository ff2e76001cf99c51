package dev.tally.security;

import dev.tally.support.UsePostgres;

@UsePostgres
class SecurityOffPostgresIT extends AbstractSecurityOffIT {}
