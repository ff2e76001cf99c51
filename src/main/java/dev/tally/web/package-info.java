/**
 * The HTTP edge shared by every controller: RFC 9457 problem responses (fix the request, retry
 * later with {@code Retry-After}, or a logged 500) and the container's error pages. A leaf: it
 * imports nothing of ours, so every package may use it; what a processing failure means for a
 * client is mapped where the failures are known ({@code processing.FailureAdvice}).
 */
@NullMarked
package dev.tally.web;

import org.jspecify.annotations.NullMarked;
