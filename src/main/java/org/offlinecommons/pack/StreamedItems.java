package org.offlinecommons.pack;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.DaemonThreads;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.NewItem;
import org.offlinecommons.store.SearchIndex;
import org.offlinecommons.store.WriteBehind;

/**
 * The files and derived items of a format-2 pack, staged in the library (SQL) as the files go
 * by in path order, a batch at a time, instead of in memory: the publish moves them into place
 * ({@link Library#publishStaged}). Items are derived as in format 1 (docs/pack-format.md): every
 * document but a website's plumbing ({@link SitePlumbing}); images only in packs without HTML
 * pages, which the publish decides once it knows. They are staged in path order, the entry page
 * first; once every file is staged, {@link #finish} reads the site's own reading order
 * ({@link SiteOrder}) from the staged pages and ranks the items it reaches before the rest.
 */
public final class StreamedItems {

    private static final int TEXT_BATCH_CHARS = 4 * 1024 * 1024;
    private static final int ROWS_PER_BATCH = 2000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Library library;
    private final String entryPath;
    private final String language;
    private final WriteBehind writer;
    private final String batch = newBatchId();
    private final List<Catalog.ListedFile> files = new ArrayList<>();
    private final List<Pending> items = new ArrayList<>();
    private final SitePlumbing plumbing = SitePlumbing.inPathOrder();
    /** Whether items were derived here (not given by the importer): they take the site's order. */
    private boolean derived;
    private long chars;
    private long fileSeq;

    /** The rank of items after those in the site's order: path order among themselves. */
    static final int REST_RANK = Integer.MAX_VALUE;

    private record Pending(int rank, long fileSeq, int sub, NewItem item) {
    }

    public StreamedItems(Library library, String entryPath, WriteBehind writer) {
        this(library, entryPath, "und", writer);
    }

    /** {@code language}: the pack's language tag, whose stemmer search indexes its words with. */
    public StreamedItems(Library library, String entryPath, String language, WriteBehind writer) {
        this.library = library;
        this.entryPath = entryPath;
        this.language = language;
        this.writer = writer;
    }

    public String batch() {
        return batch;
    }

    /** The kind of item a file is, if it is one: by its extension, else by its media type. */
    public static Optional<ItemKind> kind(FileList.Entry f) {
        Optional<ItemKind> byPath = ItemKind.fromPath(f.path());
        if (byPath.isPresent() || f.mediaType() == null) {
            return byPath;
        }
        String type = f.mediaType().toLowerCase(Locale.ROOT);
        if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
            return Optional.of(ItemKind.HTML);
        }
        if (type.equals("text/markdown")) {
            return Optional.of(ItemKind.MARKDOWN);
        }
        if (type.equals("text/plain")) {
            return Optional.of(ItemKind.TEXT);
        }
        if (type.equals("application/pdf")) {
            return Optional.of(ItemKind.PDF);
        }
        if (type.startsWith("video/")) {
            return Optional.of(ItemKind.VIDEO);
        }
        if (type.startsWith("audio/")) {
            return Optional.of(ItemKind.AUDIO);
        }
        if (type.startsWith("image/")) {
            return Optional.of(ItemKind.IMAGE);
        }
        return Optional.empty();
    }

    /** Whether {@link #add} needs the file's bytes. */
    public static boolean reads(FileList.Entry f) {
        Optional<ItemKind> k = kind(f);
        return k.isPresent() && ItemDeriver.reads(f.file(), k.get()) && !SitePlumbing.byName(f.path());
    }

    /**
     * Stages the next file in path order, with its verified content when {@link #reads} asked
     * for it (else null).
     */
    public void add(FileList.Entry f, byte[] bytes) {
        derived = true;
        PackManifest.ItemEntry item = null;
        Optional<ItemKind> byPath = kind(f);
        boolean plumbed = byPath.isPresent() && plumbing.excludes(f.path(), byPath.get())
                && !f.path().equals(entryPath);
        if (byPath.isPresent() && !plumbed) {
            ItemKind k = byPath.get();
            String title = "";
            if (bytes != null && ItemDeriver.reads(f.file(), k)) {
                ItemDeriver.Described d = ItemDeriver.describe(k, bytes);
                k = d.kind();
                title = d.title();
            }
            if (title.isEmpty()) {
                title = DocumentText.titleFromPath(f.path());
            }
            item = new PackManifest.ItemEntry(f.path(), title, k);
        }
        add(f, item, bytes);
    }

    /** Whether {@link #add(FileList.Entry, PackManifest.ItemEntry, byte[])} needs the bytes for this item. */
    public static boolean reads(PackManifest.ItemEntry item, FileList.Entry f) {
        return ItemIndexer.reads(item, f.file());
    }

    /**
     * Stages the next file in path order as the item {@code item} says (null: no item; an empty
     * title is taken from the document), with its verified content when {@link #reads(PackManifest.ItemEntry,
     * FileList.Entry)} asked for it (else null). For importers that know their items (a ZIM's front articles).
     */
    public void add(FileList.Entry f, PackManifest.ItemEntry item, byte[] bytes) {
        long seq = fileSeq++;
        addFile(f);
        if (item != null) {
            addItems(seq, f.path(), ItemIndexer.items(item, f.file(), bytes));
        }
    }

    /**
     * Stages the next file in path order without its items, for an importer that stages them apart
     * ({@link #addItems}) and never calls {@link #add}.
     */
    void addFile(FileList.Entry f) {
        files.add(new Catalog.ListedFile(f.path(), f.size(), f.sha256(), f.mediaType()));
        flushIfFull();
    }

    /**
     * Stages the items {@link ItemIndexer#items} made of the file at {@code path}, in any order:
     * {@code fileSeq} is the file's place in path order (any number that grows with the path), which
     * orders the items at the publish. A ZIM import reads its articles in cluster order, on a pool
     * ({@link ParallelItemIndexer}).
     */
    void addItems(long fileSeq, String path, List<NewItem> made) {
        int rank = path.equals(entryPath) ? 0 : REST_RANK;
        for (int i = 0; i < made.size(); i++) {
            NewItem n = made.get(i);
            items.add(new Pending(rank, fileSeq, i, n));
            chars += n.item().title().length() + (n.searchText() == null ? 0 : n.searchText().length());
        }
        flushIfFull();
    }

    private void flushIfFull() {
        if (chars >= TEXT_BATCH_CHARS || items.size() >= ROWS_PER_BATCH || files.size() >= ROWS_PER_BATCH) {
            flush();
        }
    }

    /** Writes what is pending, on the writer thread. */
    public void flush() {
        List<Catalog.ListedFile> f = List.copyOf(files);
        List<Pending> it = List.copyOf(items);
        files.clear();
        items.clear();
        chars = 0;
        if (f.isEmpty() && it.isEmpty()) {
            return;
        }
        // The texts are analysed beside the writer, not on it: the writer is an import's bottleneck.
        List<SearchIndex.Text> texts = new ArrayList<>(it.size());
        for (Pending p : it) {
            texts.add(p.item().indexText());
        }
        CompletableFuture<SearchIndex.Prepared> prepared = texts.isEmpty()
                ? CompletableFuture.completedFuture(SearchIndex.prepare(language, texts))
                : CompletableFuture.supplyAsync(() -> SearchIndex.prepare(language, texts), ANALYSIS);
        writer.submit(() -> {
            library.catalog().stageFiles(batch, f);
            long[] rows = library.search().stage(batch, joined(prepared));
            List<Catalog.StagedItem> staged = new ArrayList<>(it.size());
            for (int i = 0; i < it.size(); i++) {
                Pending p = it.get(i);
                staged.add(new Catalog.StagedItem(p.rank(), p.fileSeq(), p.sub(), p.item().item(), rows[i]));
            }
            library.catalog().stageItems(batch, staged);
        });
    }

    /** One thread per core but one (the writer has that), shared by every import; idle threads end. */
    private static final ExecutorService ANALYSIS = analysisThreads();

    private static ExecutorService analysisThreads() {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads,
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.numbered("search-analysis"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static SearchIndex.Prepared joined(CompletableFuture<SearchIndex.Prepared> prepared) {
        try {
            return prepared.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Writes what is pending and waits for every write handed to the writer; then, for derived
     * items, ranks them in the site's order, read from the pages just staged.
     */
    public void finish() {
        flush();
        writer.finish();
        if (derived && entryPath != null) {
            List<String> order;
            try {
                order = SiteOrder.of(entryPath, this::readStaged);
            } catch (IOException e) {
                // The order is the Contents' looks, not the pack: without it, path order.
                return;
            }
            library.catalog().rankStaged(batch, order, 0);
        }
    }

    /** Up to {@code max} bytes of a file staged in this batch; null if there is none at {@code path}. */
    private byte[] readStaged(String path, int max) throws IOException {
        Optional<Catalog.ListedFile> f = library.catalog().stagedFile(batch, path);
        if (f.isEmpty()) {
            return null;
        }
        Optional<org.offlinecommons.store.FileRecipe> recipe = library.chunks().recipe(f.get().sha256());
        if (recipe.isEmpty()) {
            throw new IOException("'" + path + "' is not stored");
        }
        try (java.io.InputStream in = library.chunks().open(recipe.get())) {
            return in.readNBytes(max);
        }
    }

    /** Removes what was staged for a pack that will not be published. Never throws. */
    public void discard() {
        files.clear();
        items.clear();
        writer.close();
        try {
            library.search().discard(batch);
        } catch (RuntimeException e) {
            // Swept later: the rows are invisible meanwhile.
        }
        library.catalog().discardStaged(batch);
    }

    private static String newBatchId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
