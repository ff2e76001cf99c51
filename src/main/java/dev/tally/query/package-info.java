/** Read side: the aggregation query, streamed from database cursors with flat memory. */
@NullMarked
package dev.tally.query;

import org.jspecify.annotations.NullMarked;
