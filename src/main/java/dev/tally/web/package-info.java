/**
 * The HTTP edge shared by every controller: RFC 9457 problem responses, and what a failure means
 * for the client (fix the request, retry later with {@code Retry-After}, or a logged 500) by the
 * classification of {@link dev.tally.processing.Failures}, which the Kafka listener shares.
 */
package dev.tally.web;
