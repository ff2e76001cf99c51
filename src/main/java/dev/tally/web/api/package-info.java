/**
 * The HTTP contract as the OpenAPI document states it ({@code /v3/api-docs}, springdoc): the
 * schemas of the bodies that the controllers read and write as raw streams ({@link ApiSchemas}),
 * their examples ({@link ApiExamples}), and what every operation shares ({@link ApiDocs}: the
 * problem types of {@code web.ProblemType}, the common problem responses). Documentation only:
 * nothing here runs on a request. Part of the {@code web} leaf: it imports nothing else of ours.
 */
@NullMarked
package dev.tally.web.api;

import org.jspecify.annotations.NullMarked;
