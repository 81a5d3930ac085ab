package org.offlinecommons.web.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.MimeTypes;
import org.offlinecommons.pack.FileList;
import org.offlinecommons.pack.PackPath;
import java.nio.charset.StandardCharsets;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.StoredFile;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.http.AcceptEncoding;

/**
 * What to answer for one file of a pack: status, headers and where the body comes from, with
 * conditional requests, single ranges and gzip. It knows nothing of how the answer is sent, so
 * the Javalin route ({@link ContentRoutes}) and the lean Jetty handler in front of it
 * ({@link PackFileHandler}) give byte-for-byte the same answers.
 */
public final class PackFiles {

    /** Below this size gzip saves too little to be worth a CPU-starved server's time. */
    private static final long GZIP_MIN_BYTES = 1024;
    private static final Set<String> COMPRESSIBLE_TYPES = Set.of("application/javascript", "text/javascript",
            "application/json", "application/xml", "image/svg+xml", "application/xhtml+xml");
    private static final MimeTypes MIME = new MimeTypes();
    /** Files up to one chunk are kept in memory once read: pages, stylesheets and pictures. */
    private static final int HOT_FILE_MAX_BYTES = ChunkStore.CHUNK_SIZE;
    /** A few hundred typical pages and pictures, small beside the 256 MB heap of a small box. */
    private static final long HOT_BYTES = 32L << 20;
    private static final int WRITE_SLICE = 256 * 1024;

    /** Where a reply's body comes from. */
    public sealed interface Body {
    }

    /** No body: 304, 416, or HEAD. */
    public record NoBody() implements Body {
    }

    /**
     * Bytes already in memory; {@code buffer} is a view of its own, free to be consumed. Hot files
     * are direct buffers: a socket write from the heap first copies the bytes into a temporary
     * direct buffer, so keeping them there saves a copy on every send.
     */
    public record Bytes(ByteBuffer buffer) implements Body {
    }

    /** {@code length} bytes from {@code offset} of a stored file, read one chunk at a time. */
    public record Chunks(FileRecipe recipe, long offset, long length) implements Body {
    }

    /** A stored file too large to keep in memory, compressed while it is sent. */
    public record Gzipped(FileRecipe recipe) implements Body {
    }

    /** @param headers names and values, in pairs */
    public record Reply(int status, List<String> headers, Body body) {
    }

    private static final NoBody NO_BODY = new NoBody();

    private final Library library;
    private final HotFiles hot = new HotFiles(HOT_BYTES);
    /** Catalog entries of files asked for since the library last changed; see {@link #locate}. */
    private final Map<FileKey, Located> located = new ConcurrentHashMap<>();
    private volatile long locatedGeneration = Long.MIN_VALUE;
    /** Each entry is ~300 bytes: a whole pack's pages fit in a few MB. */
    private static final int LOCATED_MAX = 20_000;

    public PackFiles(Library library) {
        this.library = library;
    }

    /**
     * The answer to a GET (or HEAD) of {@code path} in pack {@code packId}.
     *
     * @param requestHeader a request header by name, or null when absent
     * @throws HttpProblem for a bad path (400) or a missing pack or file (404)
     */
    public Reply reply(String packId, String path, boolean head, UnaryOperator<String> requestHeader) throws IOException {
        return reply(packId, path, head, requestHeader, false);
    }

    /**
     * The same answer when memory alone can give it, else null: a file asked for before, whose
     * catalog entry and bytes are still at hand, under the same library generation. For Jetty's
     * selector thread, which serves every connection and so must never wait for SQLite or a disk.
     */
    public Reply replyFromMemory(String packId, String path, boolean head, UnaryOperator<String> requestHeader) {
        try {
            return reply(packId, path, head, requestHeader, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // memory alone never reads
        }
    }

    private Reply reply(String packId, String path, boolean head, UnaryOperator<String> requestHeader,
                        boolean memoryOnly) throws IOException {
        Located located = memoryOnly ? locatedInMemory(packId, path) : locate(packId, path);
        if (located == null) {
            return null;
        }
        if (located.redirect() != null) {
            // A ZIM's redirect (docs/pack-format.md): to its target in the same pack, never elsewhere.
            return new Reply(302, List.of("Location", located.redirect(), "Cache-Control", "public, no-cache",
                    "Content-Length", "0"), NO_BODY);
        }
        StoredFile file = located.file();
        String etag = located.etag();
        String type = located.type();
        List<String> headers = new ArrayList<>(16);
        headers.add("ETag");
        headers.add(etag);
        headers.add("Accept-Ranges");
        headers.add("bytes");
        // Content changes only with a new pack version at the same URL: cache, but revalidate.
        headers.add("Cache-Control");
        headers.add("public, no-cache");
        headers.add("Content-Type");
        headers.add(type);
        if (matches(requestHeader.apply("If-None-Match"), etag)) {
            return new Reply(304, headers, NO_BODY);
        }
        Optional<ByteRange> range;
        try {
            String ifRange = requestHeader.apply("If-Range");
            range = ifRange == null || ifRange.strip().equals(etag)
                    ? ByteRange.parse(requestHeader.apply("Range"), file.size())
                    : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            headers.add("Content-Range");
            headers.add("bytes */" + file.size());
            headers.add("Content-Length");
            headers.add("0");
            return new Reply(416, headers, NO_BODY);
        }
        boolean small = file.size() <= HOT_FILE_MAX_BYTES;
        if (memoryOnly && !small && !head) {
            return null; // streamed from the library
        }
        if (range.isPresent()) {
            ByteRange r = range.get();
            headers.add("Content-Range");
            headers.add("bytes " + r.start() + "-" + r.end() + "/" + file.size());
            headers.add("Content-Length");
            headers.add(Long.toString(r.length()));
            Body body = head ? NO_BODY : plain(file, packId, path, small, memoryOnly, r);
            return body == null ? null : new Reply(206, headers, body);
        }
        boolean gzip = located.compressible() && acceptsGzip(requestHeader);
        headers.add("Vary");
        headers.add("Accept-Encoding");
        Body body;
        if (gzip && small) {
            ByteBuffer gz = memoryOnly ? inMemory(file.sha256() + ".gz") : gzippedSmallFile(file, packId, path);
            if (gz == null) {
                return null;
            }
            headers.add("Content-Encoding");
            headers.add("gzip");
            headers.add("Content-Length");
            headers.add(Integer.toString(gz.remaining()));
            body = head ? NO_BODY : new Bytes(gz);
        } else if (gzip) {
            headers.add("Content-Encoding");
            headers.add("gzip");
            FileRecipe recipe = recipe(file, packId, path);
            library.chunks().refuseKnownDamage(recipe, 0, recipe.size());
            body = head ? NO_BODY : new Gzipped(recipe);
        } else {
            headers.add("Content-Length");
            headers.add(located.length());
            body = head ? NO_BODY : plain(file, packId, path, small, memoryOnly, null);
            if (body == null) {
                return null;
            }
        }
        return new Reply(200, headers, body);
    }

    /**
     * The file's bytes as they are stored, or a range of them: from memory when the file is
     * small, else streamed from its chunks. Null when {@code memoryOnly} and memory has not got them.
     */
    private Body plain(StoredFile file, String packId, String path, boolean small, boolean memoryOnly, ByteRange range)
            throws IOException {
        if (!small) {
            Chunks chunks = range == null ? new Chunks(recipe(file, packId, path), 0, file.size())
                    : new Chunks(recipe(file, packId, path), range.start(), range.length());
            // Damage known already fails the request now, as an error, not as a connection cut midway.
            library.chunks().refuseKnownDamage(chunks.recipe(), chunks.offset(), chunks.length());
            return chunks;
        }
        ByteBuffer bytes = memoryOnly ? inMemory(file.sha256()) : smallFile(file, packId, path);
        if (bytes == null) {
            return null;
        }
        return new Bytes(range == null ? bytes
                : bytes.position((int) range.start()).limit((int) (range.start() + range.length())).slice());
    }

    /** What every answer about one file needs, worked out once per library generation. */
    /** {@code redirect}: the Location of a redirect file, else null. */
    private record Located(long generation, StoredFile file, String etag, String type, String length,
                           boolean compressible, String redirect) {
    }

    private record FileKey(String packId, String path) {
    }

    /**
     * A file's catalog entry, from memory while nothing in the library changed: a page's
     * stylesheet, script and pictures are asked for by every student, and an SQLite lookup per
     * request cost as much CPU as sending the page.
     *
     * @throws HttpProblem for a bad path (400) or a missing pack or file (404)
     */
    /** A current catalog entry from memory, or null. */
    private Located locatedInMemory(String packId, String path) {
        Located known = located.get(new FileKey(packId, path));
        return known != null && known.generation() == library.generation() ? known : null;
    }

    private ByteBuffer inMemory(String key) {
        ByteBuffer bytes = hot.get(key);
        return bytes == null ? null : bytes.duplicate();
    }

    private Located locate(String packId, String path) {
        // Read before the lookup, so an entry can only be older than its generation says, never newer.
        long generation = library.generation();
        FileKey key = new FileKey(packId, path);
        Located known = located.get(key);
        if (known != null && known.generation() == generation) {
            return known;
        }
        String problem = PackPath.problem(path);
        if (problem != null) {
            throw HttpProblem.badRequest("problem.badPath", problem);
        }
        Catalog.ListedFile listed = library.catalog().listedFile(packId, path).orElseThrow(() ->
                library.catalog().exists(packId) ? HttpProblem.notFound("problem.noFile", packId, path)
                        : HttpProblem.notFound("error.noPack", packId));
        StoredFile file = new StoredFile(listed.path(), listed.size(), listed.sha256());
        String redirect = FileList.REDIRECT_MEDIA_TYPE.equals(listed.mediaType()) ? redirect(packId, file) : null;
        String type = contentType(path, listed.mediaType());
        Located found = new Located(generation, file, "\"" + file.sha256() + "\"", type,
                Long.toString(file.size()), file.size() >= GZIP_MIN_BYTES && isCompressible(type), redirect);
        if (generation > locatedGeneration || located.size() >= LOCATED_MAX) {
            // Entries of an older generation are dead weight; a crawler walking every page would
            // fill the map. Starting afresh is simpler than tracking use, and rare.
            synchronized (located) {
                if (generation > locatedGeneration || located.size() >= LOCATED_MAX) {
                    located.clear();
                    locatedGeneration = Math.max(generation, locatedGeneration);
                }
            }
        }
        located.put(key, found);
        return found;
    }

    /**
     * Writes a streamed body: a large file's bytes straight from each stored chunk, one chunk in
     * memory at a time, one large write per chunk instead of thousands of small copies.
     */
    public void write(Body body, OutputStream out) throws IOException {
        if (body instanceof Bytes b) {
            ByteBuffer buffer = b.buffer();
            byte[] copy = new byte[Math.min(buffer.remaining(), 64 * 1024)];
            while (buffer.hasRemaining()) {
                int n = Math.min(copy.length, buffer.remaining());
                buffer.get(copy, 0, n);
                out.write(copy, 0, n);
            }
        } else if (body instanceof Chunks c) {
            writeChunks(c, out);
        } else if (body instanceof Gzipped g) {
            try (InputStream in = library.chunks().open(g.recipe())) {
                GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024);
                in.transferTo(gz);
                gz.finish();
            }
        }
        out.flush();
    }

    private void writeChunks(Chunks body, OutputStream out) throws IOException {
        long skip = body.offset();
        long remaining = body.length();
        for (ChunkRef ref : body.recipe().chunks()) {
            if (remaining <= 0) {
                break;
            }
            if (skip >= ref.size()) {
                skip -= ref.size();
                continue;
            }
            byte[] chunk = library.chunks().readChunk(ref.hash())
                    .orElseThrow(() -> new IOException("chunk " + ref.hash() + " is missing from the library"));
            int n = (int) Math.min(chunk.length - skip, remaining);
            // In slices: the JDK copies a heap array into a temporary direct buffer for the socket
            // and keeps one per thread only up to jdk.nio.maxCachedBufferSize (256 KiB in
            // scripts/java-opts); a whole 1 MiB chunk would allocate and free one on every write,
            // and glibc keeps what dozens of threads freed.
            for (int at = 0; at < n; at += WRITE_SLICE) {
                out.write(chunk, (int) skip + at, Math.min(WRITE_SLICE, n - at));
            }
            remaining -= n;
            skip = 0;
        }
        if (remaining > 0) {
            throw new IOException("stored file " + body.recipe().fileHash() + " ends early");
        }
    }

    private FileRecipe recipe(StoredFile file, String packId, String path) {
        return library.chunks().recipe(file.sha256())
                .orElseThrow(() -> new IllegalStateException("content of " + packId + "/" + path + " is missing"));
    }

    /**
     * A small file's bytes, from memory when it was read before, as a view of its own. Keyed by
     * content hash, so an entry can never be stale: changed content has another hash.
     */
    private ByteBuffer smallFile(StoredFile file, String packId, String path) throws IOException {
        ByteBuffer bytes = hot.get(file.sha256());
        if (bytes == null) {
            try (InputStream in = library.chunks().open(recipe(file, packId, path))) {
                bytes = hot.put(file.sha256(), in.readAllBytes());
            }
        }
        return bytes.duplicate();
    }

    /** Compressed once, then served from memory: gzip costs a slow CPU more than the send. */
    private ByteBuffer gzippedSmallFile(StoredFile file, String packId, String path) throws IOException {
        String key = file.sha256() + ".gz";
        ByteBuffer gz = hot.get(key);
        if (gz == null) {
            ByteBuffer plain = smallFile(file, packId, path);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(plain.remaining() / 3 + 64);
            try (GZIPOutputStream out = new GZIPOutputStream(buffer, 64 * 1024)) {
                byte[] bytes = new byte[plain.remaining()];
                plain.get(bytes);
                out.write(bytes);
            }
            gz = hot.put(key, buffer.toByteArray());
        }
        return gz.duplicate();
    }

    /** Where a redirect file sends its requests: its target's URL in the same pack. */
    private String redirect(String packId, StoredFile file) {
        String target;
        try (InputStream in = library.chunks().open(recipe(file, packId, file.path()))) {
            target = new String(in.readNBytes(PackPath.MAX_BYTES + 1), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (PackPath.problem(target) != null || library.catalog().file(packId, target).isEmpty()) {
            throw HttpProblem.notFound("problem.noLinkTarget", packId, target, file.path());
        }
        return ContentUrls.file(packId, target);
    }

    /** The Content-Type of a file: its media type from the pack when it has one, else by its name. */
    public static String contentType(String path, String mediaType) {
        if (mediaType == null || !FileList.isMediaType(mediaType)) {
            return contentType(path);
        }
        return withCharset(mediaType);
    }

    public static String contentType(String path) {
        String type = MIME.getMimeByExtension(path);
        if (type == null) {
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
                type = "text/markdown";
            } else {
                type = "application/octet-stream";
            }
        }
        return withCharset(type);
    }

    private static String withCharset(String type) {
        if ((type.startsWith("text/") || type.equals("application/javascript") || type.equals("application/json"))
                && !type.contains("charset")) {
            type = type + "; charset=utf-8";
        }
        return type;
    }

    private static boolean isCompressible(String type) {
        String base = type.split(";", 2)[0].strip();
        return base.startsWith("text/") || COMPRESSIBLE_TYPES.contains(base);
    }

    private static boolean acceptsGzip(UnaryOperator<String> requestHeader) {
        return AcceptEncoding.gzip(requestHeader.apply("Accept-Encoding"));
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        return org.offlinecommons.web.http.EntityTags.noneMatchFails(ifNoneMatch, etag);
    }

    /**
     * Immutable bytes in direct memory, bounded by their total size. Lookups take no lock: every
     * request of a busy page does one, from dozens of threads. When full, entries are dropped in
     * the map's own order rather than least-recently-used first: tracking use would put a lock or
     * a write back on every lookup, and whatever is still hot is read back at its next request.
     */
    private static final class HotFiles {
        private final long budget;
        private long used;
        private final Map<String, ByteBuffer> entries = new ConcurrentHashMap<>();

        HotFiles(long budget) {
            this.budget = budget;
        }

        ByteBuffer get(String key) {
            return entries.get(key);
        }

        /** Keeps a copy of {@code bytes} if it fits, and returns the bytes as a read-only buffer. */
        ByteBuffer put(String key, byte[] bytes) {
            if (bytes.length > budget / 4) {
                return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
            synchronized (this) {
                ByteBuffer previous = entries.put(key, buffer);
                used += bytes.length - (previous == null ? 0 : previous.capacity());
                // Down to three quarters once over, so that a full cache does not evict on every put.
                var eldest = used > budget ? entries.entrySet().iterator() : null;
                while (eldest != null && used > budget * 3 / 4 && eldest.hasNext()) {
                    Map.Entry<String, ByteBuffer> e = eldest.next();
                    if (e.getValue() != buffer) {
                        used -= e.getValue().capacity();
                        eldest.remove();
                    }
                }
            }
            return buffer;
        }
    }
}
