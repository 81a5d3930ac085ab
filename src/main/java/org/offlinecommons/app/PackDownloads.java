package org.offlinecommons.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.pack.ZipImage;
import org.offlinecommons.store.DaemonThreads;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.zim.ZimWriter;

/**
 * A pack to take home, as the zip {@code export --out} writes or as a ZIM for Kiwix readers: its
 * length before the first byte and any slice of its bytes, the same for every request of the same
 * pack version, in constant memory and without a temporary file per request. The web's
 * {@code /download} and the CLI's {@code export --zim} call this.
 *
 * <p>What a pack version's image needs is computed once (a zip's CRCs and deflated sizes; a
 * ZIM's layout and MD5) and kept: on disk under {@code cache/downloads/ID/} in the library's folder,
 * and for ZIM layouts in memory, a few at a time.
 */
public final class PackDownloads {

    /** The two forms a pack is downloaded in. */
    public enum Kind {
        ZIP("zip", "application/zip"),
        ZIM("zim", "application/x-zim");

        private final String extension;
        private final String mediaType;

        Kind(String extension, String mediaType) {
            this.extension = extension;
            this.mediaType = mediaType;
        }

        public String extension() {
            return extension;
        }

        public String mediaType() {
            return mediaType;
        }

        /** The kind a file name's extension names ({@code zip}, {@code zim}), if any. */
        public static Optional<Kind> of(String extension) {
            for (Kind k : values()) {
                if (k.extension.equals(extension.toLowerCase(Locale.ROOT))) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** Writes bytes {@code [from, to)} of a download. */
    @FunctionalInterface
    public interface Bytes {
        void write(long from, long to, OutputStream out) throws IOException;
    }

    /**
     * One pack version as a file to download.
     *
     * @param etag a strong entity tag (quoted): equal tags mean equal bytes, for {@code If-Range}
     */
    public record Download(String packId, long version, Kind kind, String fileName, long length, String etag,
                           Bytes bytes) {

        public void writeAll(OutputStream out) throws IOException {
            bytes.write(0, length, out);
        }
    }

    private final Library library;
    private final boolean enabled;
    private final PackExporter exporter;
    private final PackZims zims;
    private final ConcurrentHashMap<String, Object> preparing = new ConcurrentHashMap<>();
    private final AtomicLong prepared = new AtomicLong();

    public PackDownloads(Library library, boolean enabled) {
        this.library = library;
        this.enabled = enabled;
        this.exporter = new PackExporter(library);
        this.zims = new PackZims(library, cacheDir());
    }

    /** Whether the admin lets visitors download packs (off with {@code serve --no-downloads}). */
    public boolean enabled() {
        return enabled;
    }

    /** The packs as catalogs and pages list them, with these downloads. */
    public PackShelf shelf() {
        return new PackShelf(library, this);
    }

    public PackDownloads withEnabled(boolean on) {
        return new PackDownloads(library, on);
    }

    /**
     * The pack as {@code kind}, prepared if this version was never asked for (a read of the whole
     * pack, told to {@code progress}).
     *
     * @throws PackException NOT_FOUND when the pack is not installed
     */
    public Download prepare(String packId, Kind kind, ProgressListener progress) {
        PackRecord pack = library.catalog().pack(packId).orElseThrow(() ->
                new PackException(PackException.Reason.NOT_FOUND, "pack '" + packId + "' is not installed"));
        // One preparation per pack version and kind at a time: a second request waits for the first.
        Object lock = preparing.computeIfAbsent(pack.digest() + kind, k -> new Object());
        try {
            synchronized (lock) {
                boolean known = knownLength(pack, kind).isPresent();
                Download download = kind == Kind.ZIP ? zip(pack, progress) : zims.download(pack, progress);
                if (!known) {
                    prepared.incrementAndGet();
                }
                return download;
            }
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, "pack '" + packId + "': cannot prepare the "
                    + kind.extension + " file (" + e.getMessage() + ")", e);
        } finally {
            preparing.remove(pack.digest() + kind);
        }
    }

    /**
     * How many downloads were prepared since this server started, so that their lengths became
     * known: pages that show download lengths keep them until it grows.
     */
    public long prepared() {
        return prepared.get();
    }

    /** The length of a download if this pack version was prepared already; never reads the pack. */
    public OptionalLong knownLength(PackRecord pack, Kind kind) {
        return kind == Kind.ZIP ? zipLength(pack) : zims.knownLength(pack);
    }

    /** Below this size a pack is prepared on the spot to tell its download's length; larger ones wait for a first download. */
    public static final long PREPARE_FOR_LENGTH_MAX_BYTES = 64L << 20;

    /**
     * The length of a download for a page or a catalog: known, or prepared now when the pack is small,
     * else empty (a large pack's first preparation reads it whole; it happens on its first download).
     */
    public OptionalLong length(PackRecord pack, Kind kind) {
        OptionalLong known = knownLength(pack, kind);
        if (known.isPresent()) {
            return known;
        }
        if (pack.totalSize() > PREPARE_FOR_LENGTH_MAX_BYTES) {
            prepareLater(pack, kind);
            return known;
        }
        try {
            return OptionalLong.of(prepare(pack.id(), kind, ProgressListener.NONE).length());
        } catch (RuntimeException e) {
            return OptionalLong.empty(); // removed meanwhile, or unreadable: the download itself will say
        }
    }

    /** Prepares a large pack's download on a background thread, once, so that pages soon tell its length. */
    private void prepareLater(PackRecord pack, Kind kind) {
        if (queued.add(pack.digest() + kind)) {
            BACKGROUND.execute(() -> {
                try {
                    prepare(pack.id(), kind, ProgressListener.NONE);
                } catch (RuntimeException e) {
                    queued.remove(pack.digest() + kind); // replaced meanwhile, or unreadable: try again when asked
                }
            });
        }
    }

    private final java.util.Set<String> queued = ConcurrentHashMap.newKeySet();

    /** One thread for every library: preparing reads a whole pack, and the disk is the limit. */
    private static final java.util.concurrent.ExecutorService BACKGROUND =
            java.util.concurrent.Executors.newSingleThreadExecutor(DaemonThreads.named("download-preparation"));

    /** The pack's ZIM illustration (48x48 PNG), also its icon in catalogs. */
    public static byte[] icon(String packId) {
        try {
            return PackZims.illustration(packId);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Download zip(PackRecord pack, ProgressListener progress) throws IOException {
        ZipImage image = exporter.image(pack.id(), cacheDir(), progress);
        return new Download(pack.id(), pack.version(), Kind.ZIP, fileName(pack, Kind.ZIP), image.length(),
                etag(pack, "zip-v" + ZipImage.OUTPUT_VERSION), image::write);
    }

    private OptionalLong zipLength(PackRecord pack) {
        Path index = cacheDir().resolve(pack.id()).resolve(pack.digest() + ".zip-v" + ZipImage.OUTPUT_VERSION + ".idx");
        if (!java.nio.file.Files.exists(index)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(ZipImage.lengthOf(index));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static String fileName(PackRecord pack, Kind kind) {
        return pack.id() + "-v" + pack.version() + "." + kind.extension;
    }

    static String etag(PackRecord pack, String form) {
        return "\"" + pack.digest() + "-" + form + "\"";
    }

    private Path cacheDir() {
        return library.dataDir().resolve("cache").resolve("downloads");
    }

    static String zimForm() {
        return "zim-v" + ZimWriter.OUTPUT_VERSION;
    }
}
