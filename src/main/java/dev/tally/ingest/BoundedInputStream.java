package dev.tally.ingest;

import dev.tally.web.BodyTooLarge;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with {@link BodyTooLarge} once more than {@code maxBytes} have been read: no body can exhaust memory. */
final class BoundedInputStream extends FilterInputStream {

    private final long maxBytes;
    private final String what;
    private long count;

    BoundedInputStream(InputStream in, long maxBytes, String what) {
        super(in);
        this.maxBytes = maxBytes;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > maxBytes) {
            throw new BodyTooLarge(what + " is larger than " + maxBytes + " bytes");
        }
    }
}
