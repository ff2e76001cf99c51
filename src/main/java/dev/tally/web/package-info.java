/**
 * The HTTP edge shared by every controller: RFC 9457 problem responses and the classification of
 * failures (fix the request, retry later with {@code Retry-After}, or a logged 500).
 */
package dev.tally.web;
