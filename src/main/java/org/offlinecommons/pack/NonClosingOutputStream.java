package org.offlinecommons.pack;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A zip writer must not close a response stream it was handed; closing only flushes. */
final class NonClosingOutputStream extends FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        // FilterOutputStream would write byte by byte.
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
