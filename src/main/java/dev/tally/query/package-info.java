/** Read side: the aggregation query, streamed from database cursors with flat memory. */
package dev.tally.query;
