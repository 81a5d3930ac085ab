package org.offlinecommons.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.StoreException;
import org.offlinecommons.store.WriteBehind;
import org.offlinecommons.zim.BlobStream;
import org.offlinecommons.zim.NamespaceScheme;
import org.offlinecommons.zim.ZimArchive;
import org.offlinecommons.zim.ZimEntry;
import org.offlinecommons.zim.ZimFormatException;
import org.offlinecommons.zim.ZimLanguages;
import org.offlinecommons.zim.ZimMetadata;
import org.offlinecommons.zim.ZimPackMapping;

/**
 * Imports a Kiwix ZIM file (or the parts of a split one) as a format-2 pack (docs/zim.md, "From a ZIM to a
 * pack"), through the same staging and one-transaction publish as a format-2 zip: checked whole first
 * ({@link ZimArchive#check}), then every blob stored as chunks in cluster order (each cluster decoded once),
 * the items' text read from the same bytes, then the entries staged in path order as the pack's files and
 * redirects.
 *
 * <p>Memory does not grow with the number of entries but for two bit sets (one bit per cluster, one per
 * entry when the file has a front-article listing): which blob has which content is kept in a temporary file
 * beside the library, 40 bytes a blob, and the items in blob order in sorted runs ({@link BlobOrderedEntries}).
 */
public final class ZimImporter {

    /** The file of a redirect: its content is the UTF-8 path of its target in the same pack. */
    public static final String REDIRECT_MEDIA_TYPE = FileList.REDIRECT_MEDIA_TYPE;
    /** Where the 48x48 illustration goes among the pack's files: the pack's icon. */
    public static final String ICON_PATH = PackManifest.ICON_PATH;
    private static final int WRITES_AHEAD = 2;
    private static final Pattern PACK_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Library library;
    private final long reserveBytes;

    public ZimImporter(Library library, long reserveBytes) {
        this.library = library;
        this.reserveBytes = reserveBytes;
    }

    /** Whether {@code file} is named as a ZIM file or the first part of a split one. */
    public static boolean isZim(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".zim") || name.endsWith(".zimaa");
    }

    /** What a ZIM would become, read from its header and metadata only (no full check: a drive scan). */
    public record Summary(String packId, long version, String title, long fileBytes) {
    }

    /** Reads {@code file}'s header and metadata: enough to compare it with the library. */
    public static Summary inspect(Path file) {
        String name = file.getFileName().toString();
        try (ZimArchive archive = ZimArchive.open(file)) {
            ZimMetadata meta = archive.metadata();
            String id = packId(meta, archive.name());
            String title = meta.title().strip().isEmpty() ? id : meta.title().strip();
            return new Summary(id, version(meta.date()), title, archive.size());
        } catch (ZimFormatException e) {
            throw PackException.invalid(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw PackException.invalid(name + ": cannot be read as a ZIM file (" + e.getMessage() + ")");
        }
    }

    /** Imports {@code file}; a refused file changes nothing. */
    public ImportResult importZim(Path file, ProgressListener progress) {
        String name = file.getFileName().toString();
        try (ZimArchive archive = ZimArchive.open(file)) {
            return importArchive(archive, progress);
        } catch (ZimFormatException e) {
            throw PackException.invalid(e.getMessage() + "; nothing was imported");
        } catch (IOException e) {
            throw PackException.invalid(name + ": cannot be read as a ZIM file (" + e.getMessage()
                    + "); nothing was imported");
        } catch (UncheckedIOException e) {
            throw PackException.invalid(name + ": cannot be read as a ZIM file (" + e.getCause().getMessage()
                    + "); nothing was imported");
        }
    }

    private ImportResult importArchive(ZimArchive archive, ProgressListener progress) throws IOException {
        String name = archive.name();
        long fileSize = archive.size();
        // Three phases of about equal weight, shown as the file's bytes: check, blobs, entries.
        long third = Math.max(1, fileSize / 3);
        archive.check((step, done, total) -> progress.update(total <= 0 ? 0 : third * Math.min(done, total) / total,
                fileSize));
        ZimMetadata meta = archive.metadata();
        String id = packId(meta, name);
        long version = version(meta.date());
        Optional<PackRecord> installed = library.catalog().pack(id);
        if (installed.isPresent() && installed.get().version() > version) {
            throw new PackException(PackException.Reason.CONFLICT, name + ": pack '" + id + "' version " + version
                    + " is older than the installed version " + installed.get().version() + "; nothing was changed");
        }
        new DiskReserve(reserveBytes).check(library.dataDir(), name, "the ZIM's content with working room",
                ChunkStore.stagingBytes(fileSize, archive.entryCount()));

        NamespaceScheme scheme = archive.namespaceScheme();
        BitSet frontArticles = null;
        if (archive.titleListing() == ZimArchive.TitleListing.V1_FRONT_ARTICLES) {
            BitSet front = new BitSet();
            archive.forEachFrontArticleIndex(front::set);
            frontArticles = front;
        }
        String entryPath = null;
        Optional<ZimEntry> main = archive.mainEntry();
        if (main.isPresent()) {
            entryPath = ZimPackMapping.packPath(scheme, archive.resolve(main.get())).filter(PackPath::isValid)
                    .orElse(null);
        }
        Optional<ZimEntry> illustration = archive.illustrationEntry();
        boolean icon = illustration.isPresent() && (scheme == NamespaceScheme.OLD
                || archive.find('C', ICON_PATH).isEmpty());

        long storedBefore = library.chunks().storedBytes();
        Path table = Files.createTempFile(library.dataDir(), "zim-import-", ".blobs");
        // The same watch on the disk and the same cleanup as a zip's import (PackImporter).
        ImportGuard guard = new ImportGuard(library, reserveBytes, name);
        boolean published = false;
        try (BlobOrderedEntries articles = new BlobOrderedEntries(library.dataDir());
             BlobTable blobs = new BlobTable(table, archive.clusterCount());
             WriteBehind writer = library.chunks().bulkWriter("zim-import-writer", WRITES_AHEAD)
                     .guardedBy(guard::beforeWrite)) {
            ChunkStore.Batch batch = library.chunks().batch(writer, guard.stagedBy());
            StreamedItems items = new StreamedItems(library, entryPath,
                    ZimLanguages.toBcp47(meta.language()).stream().findFirst().orElse("und"), writer);
            try (ParallelItemIndexer indexer = new ParallelItemIndexer(items, ParallelItemIndexer.defaultThreads())) {
                BitSet front = frontArticles;
                BitSet wantedClusters = new BitSet();
                archive.forEachEntry(e -> {
                    Optional<String> path = e.isContent()
                            ? ZimPackMapping.packPath(scheme, e).filter(PackPath::isValid) : Optional.empty();
                    if (path.isPresent()) {
                        wantedClusters.set(e.cluster());
                        if (isItem(scheme, front, e, path.get())) {
                            articles.add(e.cluster(), e.blob(), e.index());
                        }
                    }
                });
                // Blobs in file order, each cluster decoded once; the articles' text read from the same bytes.
                BlobOrderedEntries.Cursor article = articles.sorted();
                long blobCount = Math.max(1, archive.entryCount());
                long[] seen = {0};
                archive.forEachBlob((cluster, blob, content) -> {
                    if (!wantedClusters.get(cluster)) {
                        blobs.add(cluster, null, 0);
                    } else {
                        byte[][] small = {null};
                        ChunkStore.StagedFile staged = batch.stage(content, content.size(), n -> { },
                                bytes -> small[0] = bytes);
                        blobs.add(cluster, staged.sha256(), staged.size());
                        guard.staged(staged.size(), "cluster " + cluster + ", blob " + blob);
                        while (article.at(cluster, blob)) {
                            ZimEntry e = archive.entry(article.take());
                            String path = ZimPackMapping.packPath(scheme, e).orElseThrow();
                            FileList.Entry f = new FileList.Entry(path, staged.size(), staged.sha256(),
                                    mediaType(e.mimeType()));
                            PackManifest.ItemEntry item = new PackManifest.ItemEntry(path,
                                    e.title().equals(e.path()) ? "" : e.title(), ItemKind.HTML);
                            byte[] bytes = null;
                            if (StreamedItems.reads(item, f)) {
                                bytes = small[0] != null ? small[0] : archive.readBlob(e);
                            }
                            indexer.add(e.index(), f, item, bytes);
                        }
                    }
                    progress.update(third + third * Math.min(++seen[0], blobCount) / blobCount, fileSize);
                });
                if (article.nextKey() != Long.MAX_VALUE) {
                    throw new IOException("entry " + article.take() + " points to a blob its cluster does not have");
                }
                indexer.finish();
                FileList.Writer list = new FileList.Writer(OutputStream.nullOutputStream());
                FileList.Entry iconFile = null;
                if (icon) {
                    byte[] png = archive.readBlob(illustration.get());
                    ChunkStore.StagedFile staged = batch.stage(new ByteArrayInputStream(png), png.length, n -> { });
                    iconFile = new FileList.Entry(ICON_PATH, staged.size(), staged.sha256(), "image/png");
                }
                FileList.Entry[] pendingIcon = {iconFile};
                long entries = Math.max(1, archive.entryCount());
                long[] leftOut = {0};
                String[] firstLeftOut = {""};
                archive.forEachEntry(e -> {
                    progress.update(2 * third + third * (e.index() + 1L) / entries, fileSize);
                    Optional<String> path = ZimPackMapping.packPath(scheme, e);
                    if (path.isEmpty()) {
                        return; // metadata and indexes are not files (docs/zim.md)
                    }
                    if (!PackPath.isValid(path.get())) {
                        if (leftOut[0]++ == 0) {
                            firstLeftOut[0] = path.get();
                        }
                        return;
                    }
                    FileList.Entry f;
                    if (e.isContent()) {
                        BlobTable.Row row = blobs.get(e.cluster(), e.blob());
                        f = new FileList.Entry(path.get(), row.size(), row.sha256(), mediaType(e.mimeType()));
                    } else if (e.isRedirect()) {
                        ZimEntry target = archive.resolve(e);
                        Optional<String> to = ZimPackMapping.packPath(scheme, target);
                        if (!target.isContent() || to.isEmpty()) {
                            return;
                        }
                        if (!PackPath.isValid(to.get())) {
                            if (leftOut[0]++ == 0) {
                                firstLeftOut[0] = path.get();
                            }
                            return;
                        }
                        byte[] bytes = to.get().getBytes(StandardCharsets.UTF_8);
                        ChunkStore.StagedFile staged = batch.stage(new ByteArrayInputStream(bytes), bytes.length,
                                n -> { });
                        f = new FileList.Entry(path.get(), staged.size(), staged.sha256(), REDIRECT_MEDIA_TYPE);
                    } else {
                        return;
                    }
                    if (pendingIcon[0] != null && FileList.compare(pendingIcon[0].path(), f.path()) < 0) {
                        list.add(pendingIcon[0]);
                        items.addFile(pendingIcon[0]);
                        pendingIcon[0] = null;
                    }
                    list.add(f);
                    items.addFile(f);
                });
                if (pendingIcon[0] != null) {
                    list.add(pendingIcon[0]);
                    items.addFile(pendingIcon[0]);
                }
                batch.flush();
                items.finish();
                PackManifest manifest = manifest(archive, meta, id, version, entryPath, icon, list.info());
                String digest = ManifestCodec.digest(manifest);
                if (installed.isPresent() && installed.get().version() == version) {
                    if (installed.get().digest().equals(digest)) {
                        return new ImportResult(id, version, manifest.title(), ImportResult.Outcome.UNCHANGED,
                                manifest.totalSize(), 0);
                    }
                    throw new PackException(PackException.Reason.CONFLICT, name + ": pack '" + id + "' version "
                            + version + " (from the ZIM's date " + meta.date() + ") is already installed with"
                            + " different content; nothing was changed");
                }
                PackRecord record = new PackRecord(id, version, manifest.title(), manifest.description(),
                        manifest.language(), manifest.license(), manifest.authors(), manifest.created(),
                        manifest.entry(), digest, manifest.totalSize(), Math.toIntExact(manifest.fileCount()), 0,
                        System.currentTimeMillis());
                try {
                    library.publishStaged(record, new String(ManifestCodec.write(manifest), StandardCharsets.UTF_8),
                            PackManifest.FORMAT_2, items.batch(), items.batch(),
                            installed.map(PackRecord::digest).orElse(null));
                } catch (Catalog.ConcurrentChangeException | Catalog.IncompleteContentException e) {
                    throw new PackException(PackException.Reason.CONFLICT, name + ": " + e.getMessage(), e);
                }
                published = true;
                library.catalog().discardStaged(items.batch());
                guard.reclaimSpace();
                long stored = Math.max(0, library.chunks().storedBytes() - storedBefore);
                return new ImportResult(id, version, manifest.title(),
                        installed.isPresent() ? ImportResult.Outcome.UPDATED : ImportResult.Outcome.INSTALLED,
                        manifest.totalSize(), stored, leftOut[0], firstLeftOut[0]);
            } finally {
                if (!published) {
                    items.discard();
                }
            }
        } catch (StoreException e) {
            throw guard.full(e);
        } finally {
            Files.deleteIfExists(table);
            if (!published) {
                guard.discard();
            }
        }
    }

    /** The ZIM's MIME type as a file list's media type: {@code type/subtype}, lowercase, no parameters. */
    static String mediaType(String zimMimeType) {
        String type = ZimPackMapping.mediaType(zimMimeType).split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return FileList.isMediaType(type) ? type : "application/octet-stream";
    }

    /**
     * Whether content entry {@code e}, which has the pack path {@code path}, becomes an item: a front article,
     * or without a front-article listing, HTML of the user content (docs/zim.md, "Items and search").
     */
    private static boolean isItem(NamespaceScheme scheme, BitSet front, ZimEntry e, String path) {
        return PackPath.isValid(path) && (front != null ? front.get(e.index()) : isArticle(scheme, e));
    }

    /** Without a front-article listing: the HTML of the user content (docs/zim.md, "Items and search"). */
    private static boolean isArticle(NamespaceScheme scheme, ZimEntry e) {
        boolean html = e.mimeType().toLowerCase(Locale.ROOT).startsWith("text/html");
        return html && (scheme == NamespaceScheme.NEW ? e.namespace() == 'C' : e.namespace() == 'A');
    }

    /** {@link ZimPackMapping#packId}, cut to the 64 characters a pack id may have. */
    static String packId(ZimMetadata meta, String fileName) {
        String id = ZimPackMapping.packId(meta, fileName);
        if (id.length() > 64) {
            id = id.substring(0, 64).replaceAll("-+$", "");
        }
        return PACK_ID.matcher(id).matches() ? id : "zim";
    }

    /** {@code M/Date} as the number YYYYMMDD, growing with the date; 1 without a date. */
    static long version(String date) {
        var m = DATE.matcher(date.strip());
        if (!m.matches() || ZimPackMapping.version(date).isEmpty()) {
            return 1;
        }
        return Long.parseLong(m.group(1) + m.group(2) + m.group(3));
    }

    private static PackManifest manifest(ZimArchive archive, ZimMetadata meta, String id, long version,
                                         String entryPath, boolean icon, PackManifest.FileListInfo fileList) {
        String title = meta.title().strip().isEmpty() ? id : meta.title().strip();
        List<String> languages = ZimLanguages.toBcp47(meta.language());
        String language = languages.isEmpty() ? "und" : languages.get(0);
        String created = DATE.matcher(meta.date().strip()).matches() && ZimPackMapping.version(meta.date()).isPresent()
                ? meta.date().strip() : "";
        List<String> authors = meta.creator().isBlank() ? List.of() : List.of(meta.creator().strip());
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        ObjectNode zim = JSON.objectNode();
        zim.put("uuid", HexFormat.of().formatHex(archive.header().uuid()));
        zim.put("name", meta.name());
        zim.put("flavour", meta.flavour());
        zim.put("publisher", meta.publisher());
        zim.put("source", meta.source());
        zim.put("scraper", meta.scraper());
        zim.put("date", meta.date());
        zim.put("longDescription", meta.longDescription());
        var langs = zim.putArray("languages");
        languages.forEach(langs::add);
        extra.put("zim", zim);
        var tags = JSON.arrayNode();
        ZimPackMapping.tags(meta.tags()).forEach(tags::add);
        extra.put("tags", tags);
        if (icon) {
            extra.put("icon", JSON.textNode(ICON_PATH));
        }
        return new PackManifest(PackManifest.FORMAT_2, id, version, title, meta.description().strip(), language,
                meta.license().strip(), authors, created, entryPath, List.of(), null, extra, fileList);
    }

    /**
     * Which content each blob has, by cluster and blob number, in a file: 40 bytes a blob (SHA-256 and size),
     * appended in cluster order, and where each cluster's first row is (8 bytes a cluster). Appends are
     * buffered (a system call per 64 KB, not per blob), and written out before the first {@link #get}.
     */
    private static final class BlobTable implements AutoCloseable {
        private static final int ROW = 40;
        private final FileChannel channel;
        private final Path starts;
        private final FileChannel startChannel;
        private final ByteBuffer row = ByteBuffer.allocate(ROW);
        private final ByteBuffer eight = ByteBuffer.allocate(8);
        private final ByteBuffer rowsOut = ByteBuffer.allocate(64 * 1024 / ROW * ROW);
        private final ByteBuffer startsOut = ByteBuffer.allocate(64 * 1024);
        private long rowsWritten;
        private long startsWritten;
        private int lastCluster = -1;
        private long rows;

        record Row(String sha256, long size) {
        }

        BlobTable(Path file, int clusters) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.starts = Files.createTempFile(file.getParent(), "zim-import-", ".clusters");
            this.startChannel = FileChannel.open(starts, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        void add(int cluster, String sha256, long size) throws IOException {
            while (lastCluster < cluster) {
                lastCluster++;
                if (!startsOut.hasRemaining()) {
                    startsWritten += drain(startsOut, startChannel, startsWritten);
                }
                startsOut.putLong(rows);
            }
            if (!rowsOut.hasRemaining()) {
                rowsWritten += drain(rowsOut, channel, rowsWritten);
            }
            rowsOut.put(sha256 == null ? new byte[32] : HexFormat.of().parseHex(sha256)).putLong(size);
            rows++;
        }

        private static long drain(ByteBuffer buffer, FileChannel to, long at) throws IOException {
            buffer.flip();
            long n = buffer.remaining();
            while (buffer.hasRemaining()) {
                at += to.write(buffer, at);
            }
            buffer.clear();
            return n;
        }

        Row get(int cluster, int blob) throws IOException {
            if (rowsOut.position() > 0 || startsOut.position() > 0) {
                rowsWritten += drain(rowsOut, channel, rowsWritten);
                startsWritten += drain(startsOut, startChannel, startsWritten);
            }
            if (cluster > lastCluster) {
                throw new IOException("cluster " + cluster + " was never read");
            }
            eight.clear();
            startChannel.read(eight, 8L * cluster);
            long first = eight.flip().getLong();
            long end = rows;
            if (cluster < lastCluster) {
                eight.clear();
                startChannel.read(eight, 8L * (cluster + 1));
                end = eight.flip().getLong();
            }
            if (first + blob >= end) {
                throw new IOException("cluster " + cluster + " has no blob " + blob);
            }
            row.clear();
            channel.read(row, ROW * (first + blob));
            row.flip();
            byte[] hash = new byte[32];
            row.get(hash);
            return new Row(HexFormat.of().formatHex(hash), row.getLong());
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
                startChannel.close();
            } finally {
                Files.deleteIfExists(starts);
            }
        }
    }
}
