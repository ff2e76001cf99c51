package dev.tally.security;

import dev.tally.support.UseH2;

@UseH2
class SecurityOffH2IT extends AbstractSecurityOffIT {}
