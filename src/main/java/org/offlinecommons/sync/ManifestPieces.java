package org.offlinecommons.sync;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.offlinecommons.pack.FileList;
import org.offlinecommons.pack.PackPath;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;

/**
 * The pieces of a format-2 manifest (docs/sync-protocol.md §4.2): a pack's sorted file list,
 * each line extended with the file's chunks, cut into content-addressed pieces where a path's
 * hash says so. Boundaries depend on paths only, so a changed file changes its own piece and no
 * other, and an added or removed path moves at most its neighbours' boundary.
 */
public final class ManifestPieces {

    /** A piece ends after a path whose hash is 0 modulo this (about this many files a piece) ... */
    static final int CUT_MODULUS = 64;
    /** ... but holds at least this many files (unless it is the last) ... */
    static final int MIN_FILES = 16;
    /** ... and at most this many files or bytes. */
    static final int MAX_FILES = 1024;
    static final int TARGET_MAX_BYTES = 256 * 1024;
    /** A client refuses a larger piece (a line lists a file's chunks: a 64 GiB file's take 4.7 MB). */
    public static final int MAX_PIECE_BYTES = 8 << 20;

    /** A line of a piece: a file and its chunks. */
    public record Line(FileList.Entry file, FileRecipe recipe) {
    }

    /** A piece as listed in the top manifest. */
    public record Piece(String sha256, long size, int files) {
    }

    private ManifestPieces() {
    }

    /** The line of a piece for {@code f}, whose content is made of {@code recipe}'s chunks. */
    public static byte[] line(FileList.Entry f, FileRecipe recipe) {
        StringBuilder sb = new StringBuilder(f.path().length() + 100);
        sb.append(f.path()).append('\t').append(f.size()).append('\t').append(f.sha256()).append('\t');
        if (f.mediaType() != null) {
            sb.append(f.mediaType());
        }
        sb.append('\t');
        List<ChunkRef> chunks = recipe.chunks();
        boolean implied = chunks.isEmpty()
                || (chunks.size() == 1 && chunks.get(0).hash().equals(f.sha256()) && chunks.get(0).size() == f.size());
        if (!implied) {
            for (int i = 0; i < chunks.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(chunks.get(i).hash()).append(':').append(chunks.get(i).size());
            }
        }
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a piece ends after a line of {@code path}, with {@code files} lines and {@code bytes} so far. */
    public static boolean cutAfter(String path, int files, long bytes) {
        if (files >= MAX_FILES || bytes >= TARGET_MAX_BYTES) {
            return true;
        }
        if (files < MIN_FILES) {
            return false;
        }
        byte[] h = Hashes.sha256().digest(path.getBytes(StandardCharsets.UTF_8));
        int v = ((h[0] & 0xFF) << 8) | (h[1] & 0xFF);
        return v % CUT_MODULUS == 0;
    }

    /**
     * Reads and checks a piece (already checked against its hash): every line well formed, paths
     * valid and increasing (after {@code previousPath}, the last of the piece before), chunk
     * sizes adding up to the file's size. {@code source} names it in messages.
     */
    public static List<Line> parse(byte[] piece, int expectedFiles, String previousPath, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(piece)).toString();
        } catch (CharacterCodingException e) {
            throw SyncJson.invalid(source, "is not UTF-8 text");
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw SyncJson.invalid(source, "does not end with a line feed");
        }
        List<Line> out = new ArrayList<>();
        String previous = previousPath;
        int n = 0;
        for (String l : text.split("\n")) {
            if (text.isEmpty()) {
                break;
            }
            String at = "line " + ++n + ": ";
            String[] f = l.split("\t", -1);
            if (f.length != 5) {
                throw SyncJson.invalid(source, at + "must be: path, size, sha256, media type, chunks, separated by tabs");
            }
            String path = f[0];
            String problem = PackPath.problem(path);
            if (problem != null) {
                throw SyncJson.invalid(source, at + "'" + path + "': " + problem);
            }
            if (previous != null && FileList.compare(previous, path) >= 0) {
                throw SyncJson.invalid(source, at + "'" + path + "' is out of order or listed twice");
            }
            previous = path;
            if (!f[1].matches("0|[1-9][0-9]{0,17}")) {
                throw SyncJson.invalid(source, at + "'" + path + "': the size must be a whole number of bytes");
            }
            long size = Long.parseLong(f[1]);
            if (!Hashes.isSha256Hex(f[2])) {
                throw SyncJson.invalid(source, at + "'" + path + "': the sha256 must be 64 lowercase hexadecimal digits");
            }
            String media = f[3].isEmpty() ? null : f[3];
            if (media != null && !FileList.isMediaType(media)) {
                throw SyncJson.invalid(source, at + "'" + path + "': '" + media + "' is not a media type");
            }
            List<ChunkRef> chunks = new ArrayList<>();
            long sum = 0;
            if (f[4].isEmpty()) {
                if (size > ChunkStore.CHUNK_SIZE) {
                    throw SyncJson.invalid(source, at + "'" + path + "': a file over one chunk must list its chunks");
                }
                if (size > 0) {
                    chunks.add(new ChunkRef(f[2], size));
                }
                sum = size;
            } else {
                for (String c : f[4].split(",", -1)) {
                    int colon = c.indexOf(':');
                    String hash = colon < 0 ? c : c.substring(0, colon);
                    String bytes = colon < 0 ? "" : c.substring(colon + 1);
                    if (!Hashes.isSha256Hex(hash) || !bytes.matches("[1-9][0-9]{0,7}")
                            || Long.parseLong(bytes) > ChunkStore.CHUNK_SIZE) {
                        throw SyncJson.invalid(source, at + "'" + path + "': chunk '" + shortened(c)
                                + "' must be a sha256, ':' and a size of 1 to " + ChunkStore.CHUNK_SIZE);
                    }
                    chunks.add(new ChunkRef(hash, Long.parseLong(bytes)));
                    sum += Long.parseLong(bytes);
                    if (sum > size) {
                        break;
                    }
                }
            }
            if (sum != size) {
                throw SyncJson.invalid(source, at + "'" + path + "': its chunks add up to " + sum
                        + " bytes, but the file has " + size);
            }
            out.add(new Line(new FileList.Entry(path, size, f[2], media), new FileRecipe(f[2], size, chunks)));
        }
        if (out.size() != expectedFiles) {
            throw SyncJson.invalid(source, "holds " + out.size() + " files, but the manifest says " + expectedFiles);
        }
        return out;
    }

    private static String shortened(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
