package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.offlinecommons.store.Hashes;

/**
 * The file list of a format-2 pack ({@value #ENTRY_NAME}, docs/pack-format.md): one line per
 * file, {@code path TAB size TAB sha256 [TAB media-type] LF}, sorted by path in UTF-8 byte
 * order, no path twice. Paths hold no control characters, so a tab or a line end can only be a
 * separator. The form is canonical (one way to write each line), so the list's SHA-256,
 * recorded in pack.json, pins every file; and sorted, so it can be checked against a zip's
 * central directory and merged with SQL rows one line at a time, in constant memory.
 */
public final class FileList {

    public static final String ENTRY_NAME = "pack-files.tsv";
    /**
     * The media type of a redirect (docs/pack-format.md): the file's content is the UTF-8 path of
     * another file of the same pack, which a request for this one is sent to (a ZIM's redirects).
     */
    public static final String REDIRECT_MEDIA_TYPE = "inode/symlink";
    /** A path is at most {@link PackPath#MAX_BYTES} bytes, a media type 127: every valid line fits. */
    public static final int MAX_LINE_BYTES = PackPath.MAX_BYTES + 1 + 20 + 1 + 64 + 1 + 127 + 1;
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");

    /** One file: {@code mediaType} is null when the path's extension gives it. */
    public record Entry(String path, long size, String sha256, String mediaType) {
        public PackManifest.FileEntry file() {
            return new PackManifest.FileEntry(path, size, sha256);
        }
    }

    private FileList() {
    }

    /** The canonical line of {@code e}, line end included. */
    public static byte[] line(Entry e) {
        StringBuilder sb = new StringBuilder(e.path().length() + 90);
        sb.append(e.path()).append('\t').append(e.size()).append('\t').append(e.sha256());
        if (e.mediaType() != null) {
            sb.append('\t').append(e.mediaType());
        }
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    public static boolean isMediaType(String s) {
        return s != null && MEDIA_TYPE.matcher(s).matches();
    }

    /** Compares paths in UTF-8 byte order (= code point order; SQLite's BINARY collation). */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Writes a file list, checking order as it goes, and sums it up for pack.json. */
    public static final class Writer {
        private final OutputStream out;
        private final MessageDigest sha = Hashes.sha256();
        private String previous;
        private long count;
        private long size;

        public Writer(OutputStream out) {
            this.out = out;
        }

        public void add(Entry e) throws IOException {
            if (previous != null && compare(previous, e.path()) >= 0) {
                throw new IllegalArgumentException("file list out of order: '" + e.path() + "' after '" + previous
                        + "'");
            }
            byte[] line = line(e);
            sha.update(line);
            out.write(line);
            previous = e.path();
            count++;
            size += e.size();
        }

        public PackManifest.FileListInfo info() {
            return new PackManifest.FileListInfo(count, size, Hashes.hex(sha.digest()));
        }
    }

    /**
     * Reads and checks a file list line by line: each line canonical, paths valid and strictly
     * increasing, a line never longer than {@link #MAX_LINE_BYTES}, and at the end the count,
     * sizes and SHA-256 those of pack.json. Messages name {@code source} and the line.
     */
    public static final class Reader {
        private final InputStream in;
        private final String source;
        private final PackManifest.FileListInfo expected;
        private final MessageDigest sha = Hashes.sha256();
        private final byte[] buf = new byte[MAX_LINE_BYTES + 1];
        private String previous;
        private long count;
        private long size;
        private boolean ended;

        public Reader(InputStream in, String source, PackManifest.FileListInfo expected) {
            this.in = in;
            this.source = source;
            this.expected = expected;
        }

        /** The next file, or null after the last one (once the totals have been checked). */
        public Entry next() throws IOException {
            if (ended) {
                return null;
            }
            int n = 0;
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n == buf.length) {
                    throw fail("line " + (count + 1) + " is longer than " + MAX_LINE_BYTES + " bytes");
                }
                buf[n++] = (byte) b;
            }
            if (b < 0) {
                if (n > 0) {
                    throw fail("line " + (count + 1) + " does not end with a line feed");
                }
                ended = true;
                checkTotals();
                return null;
            }
            sha.update(buf, 0, n);
            sha.update((byte) '\n');
            Entry e = parse(n);
            previous = e.path();
            count++;
            size += e.size();
            if (count > expected.count()) {
                throw fail("lists more files than the " + expected.count() + " pack.json counts");
            }
            return e;
        }

        private Entry parse(int n) {
            String at = "line " + (count + 1);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, 0, n)).toString();
            } catch (CharacterCodingException e) {
                throw fail(at + " is not UTF-8 text");
            }
            String[] f = text.split("\t", -1);
            if (f.length != 3 && f.length != 4) {
                throw fail(at + " must be: path, size, sha256 and an optional media type, separated by tabs");
            }
            String path = f[0];
            String problem = PackPath.problem(path);
            if (problem != null) {
                throw fail(at + " '" + path + "': " + problem);
            }
            if (path.equals(PackManifest.FILE_NAME) || path.equals(ENTRY_NAME)) {
                throw fail(at + ": '" + path + "' is the name of the pack's own metadata");
            }
            if (previous != null) {
                int c = compare(previous, path);
                if (c == 0) {
                    throw fail(at + " '" + path + "' is listed twice");
                }
                if (c > 0) {
                    throw fail(at + " '" + path + "' comes after '" + previous + "': the list must be sorted by"
                            + " path (UTF-8 byte order)");
                }
            }
            long fileSize;
            if (!f[1].matches("0|[1-9][0-9]{0,18}")) {
                throw fail(at + " '" + path + "': the size must be a whole number of bytes");
            }
            try {
                fileSize = Long.parseLong(f[1]);
            } catch (NumberFormatException e) {
                throw fail(at + " '" + path + "': the size is too large");
            }
            if (!Hashes.isSha256Hex(f[2])) {
                throw fail(at + " '" + path + "': the sha256 must be 64 lowercase hexadecimal digits");
            }
            String media = null;
            if (f.length == 4) {
                if (!isMediaType(f[3])) {
                    throw fail(at + " '" + path + "': '" + f[3] + "' is not a media type such as text/html");
                }
                media = f[3];
            }
            return new Entry(path, fileSize, f[2], media);
        }

        private void checkTotals() {
            if (count != expected.count()) {
                throw fail("lists " + count + " files, but pack.json counts " + expected.count());
            }
            if (size != expected.size()) {
                throw fail("its files add up to " + size + " bytes, but pack.json says " + expected.size());
            }
            if (!Hashes.hex(sha.digest()).equals(expected.sha256())) {
                throw fail("does not match the sha256 pack.json gives for it (the list is damaged or was changed)");
            }
        }

        private PackException fail(String problem) {
            return PackException.invalid(source + ": " + problem);
        }
    }
}
