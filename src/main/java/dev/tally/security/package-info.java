/**
 * Who may call what (docs/security.md). With a resource-server property
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}, {@code jwk-set-uri} or
 * {@code public-key-location}) every call but the health probes needs a JWT bearer token with the
 * call's scope, and a writer may write only the sources its {@code tally_sources} claim lists.
 * Without one, security is off and the service listens on the loopback interface only, unless the
 * operator insists ({@code tally.security.insecure-bind=true}).
 *
 * <p>The source check itself is made where items are validated ({@code ingest}), from the
 * {@link dev.tally.security.SourceGrant} this package resolves for the request; no filter here
 * reads a body.
 */
@NullMarked
package dev.tally.security;

import org.jspecify.annotations.NullMarked;
