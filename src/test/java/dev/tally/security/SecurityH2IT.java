package dev.tally.security;

import dev.tally.support.UseH2;

@UseH2
class SecurityH2IT extends AbstractSecurityIT {}
