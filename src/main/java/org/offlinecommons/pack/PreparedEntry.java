package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small zip entry's bytes as they will be written: read whole, their CRC-32 taken and, for
 * text, deflated at level 6, so that any thread can do the work and the zip's writer only copies.
 *
 * @param data   the entry's stored bytes (deflated or not), the first {@code length} of the array
 * @param size   the file's size
 */
record PreparedEntry(boolean deflated, long size, long crc, byte[] data, int length) {

    /**
     * Reads {@code size} bytes from {@code source} (fails if it holds another number) and prepares
     * them. {@code deflater} must be one made as {@code new Deflater(6, true)}; it is reset here.
     */
    static PreparedEntry of(String name, boolean deflate, int size, ZipStreamWriter.Source source, Deflater deflater)
            throws IOException {
        byte[] raw = new byte[size];
        int read = 0;
        try (InputStream in = source.open()) {
            int n;
            while (read < size && (n = in.read(raw, read, size - read)) > 0) {
                read += n;
            }
            // Read on to the end, through the array method: sources check what they read at its end.
            if (read == size && in.read(new byte[1], 0, 1) > 0) {
                read++;
            }
        }
        if (read != size) {
            throw new IOException("'" + name + "' has " + (read > size ? "more than " + size : read)
                    + " bytes, not the " + size + " expected");
        }
        CRC32 crc = new CRC32();
        crc.update(raw, 0, size);
        if (!deflate) {
            return new PreparedEntry(false, size, crc.getValue(), raw, size);
        }
        deflater.reset();
        deflater.setInput(raw, 0, size);
        deflater.finish();
        byte[] out = new byte[Math.max(64, size + size / 1000 + 64)];
        int length = 0;
        while (!deflater.finished()) {
            if (length == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            length += deflater.deflate(out, length, out.length - length, Deflater.NO_FLUSH);
        }
        return new PreparedEntry(true, size, crc.getValue(), out, length);
    }
}
