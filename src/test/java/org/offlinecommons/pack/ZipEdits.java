package org.offlinecommons.pack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/** Makes damaged or hostile variants of real pack zips for tests. */
public final class ZipEdits {

    private ZipEdits() {
    }

    /** The same zip with one entry's content changed by {@code edit}; pack.json is left as it was. */
    public static byte[] mutateEntry(byte[] zipBytes, String name, UnaryOperator<byte[]> edit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zipBytes)).get();
             ZipArchiveOutputStream zos = new ZipArchiveOutputStream(out)) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                byte[] data;
                try (InputStream in = zip.getInputStream(e)) {
                    data = in.readAllBytes();
                }
                if (e.getName().equals(name)) {
                    data = edit.apply(data);
                }
                ZipArchiveEntry copy = new ZipArchiveEntry(e.getName());
                copy.setMethod(ZipArchiveEntry.DEFLATED);
                copy.setTime(e.getTime());
                zos.putArchiveEntry(copy);
                zos.write(data);
                zos.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** Flips the bits of the first byte: same size, different content. */
    public static byte[] flipFirstByte(byte[] data) {
        byte[] copy = data.clone();
        copy[0] = (byte) ~copy[0];
        return copy;
    }
}
