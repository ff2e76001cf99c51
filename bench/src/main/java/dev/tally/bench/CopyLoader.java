package dev.tally.bench;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** COPY of a generator's originals into a table shaped like the service's records table, rendered on the fly. */
final class CopyLoader {

    private static final int CHUNK_CHARS = 60 * 1024;

    private CopyLoader() {}

    /**
     * COPY of the originals among items [0, items) of {@code g} into {@code table}, with seqs
     * counting up from {@code seqBase + 1}; returns the rows written.
     */
    static long copyOriginals(Connection c, String table, Generator g, int items, long seqBase, Progress progress)
            throws SQLException, IOException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        Rows rows = new Rows(g, items, seqBase, progress);
        return copy.copyIn(
                "COPY " + table + " (record_id, seq, record_time, source_id, destination_id,"
                        + " record_type, amount, amount_scale, unit, reference, processed_at) FROM STDIN",
                rows,
                64 * 1024);
    }

    /** The rows in COPY's text format, a chunk at a time. */
    private static final class Rows extends Reader {
        private final Generator g;
        private final int items;
        private final Progress progress;
        private final String processedAt = Instant.now().toString();
        private long seq;
        private int next;
        private String pending = "";
        private int pos;

        Rows(Generator g, int items, long seqBase, Progress progress) {
            this.g = g;
            this.items = items;
            this.seq = seqBase;
            this.progress = progress;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            while (pos == pending.length()) {
                if (next >= items) {
                    return -1;
                }
                pending = chunk();
                pos = 0;
            }
            int n = Math.min(len, pending.length() - pos);
            pending.getChars(pos, pos + n, buf, off);
            pos += n;
            return n;
        }

        private String chunk() {
            StringBuilder b = new StringBuilder(64 * 1024);
            while (next < items && b.length() < CHUNK_CHARS) {
                Generator.Item it = g.item(next++);
                if (it.kind() == Generator.Kind.ORIGINAL) {
                    row(b, it);
                }
            }
            progress.set(next);
            return b.toString();
        }

        private void row(StringBuilder b, Generator.Item it) {
            b.append(it.recordId()).append('\t').append(++seq).append('\t').append(it.time());
            b.append("\tbench\t").append(it.destinationId()).append('\t');
            b.append(it.positive() ? "positive" : "negative").append('\t');
            b.append(it.value().toPlainString())
                    .append('\t')
                    .append(it.value().scale())
                    .append('\t');
            b.append(it.unit()).append('\t').append(it.reference()).append('\t');
            b.append(processedAt).append('\n');
        }

        @Override
        public void close() {}
    }
}
