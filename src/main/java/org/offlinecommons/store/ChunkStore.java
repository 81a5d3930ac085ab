package org.offlinecommons.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Content-addressed storage of file bytes, split into fixed-size chunks.
 *
 * <p>Chunks are written in short batches, before anything refers to them, so a large pack
 * never needs one giant transaction (which would grow the WAL to the pack's size) and a retried
 * import or sync reuses what an interrupted one already stored. Orphans are swept after a grace
 * period so that work in progress is not swept from under itself.
 *
 * <p>Chunks of text are stored compressed ({@link ChunkEncoding}); their hashes and sizes stay
 * those of the raw bytes, and every read returns raw bytes.
 *
 * <p>1 MiB chunks: large enough that SQLite stores them at close to disk speed with 64 KiB pages
 * and a 1 GiB pack is only ~1000 rows; small enough that a changed file costs about its own size
 * in a sync, a Range request reads little more than it needs, and dozens of concurrent
 * downloads hold only a chunk each in memory.
 */
public final class ChunkStore {

    public static final int CHUNK_SIZE = 1 << 20;
    /** Chunks per write transaction: about 8 MiB, a fraction of a second on an SD card. */
    private static final int BATCH_CHUNKS = 8;
    /** Unreferenced chunks younger than this may belong to an import or sync still running. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    /**
     * Free space an import keeps beside the reserve until its last write: the next write (a batch
     * of chunks into the WAL) and the checkpoint copying earlier ones into the library file.
     */
    public static final long STAGING_HEADROOM = 24L << 20;

    /**
     * What each file adds beside its bytes, at most: its rows (file, chunk, recipe, item) and its
     * share of the search indexes. A library of 50,000 small pages took 3.9 KB a file for 1.7 KB
     * of HTML, its chunks compressed to 1.0 KB (docs/performance.md, "Scale").
     */
    public static final long PER_FILE_BYTES = 2L << 10;

    /**
     * The disk space that staging {@code contentBytes} in {@code fileCount} files takes at its
     * peak: the chunks and per-file rows in the library file, their copy in the WAL until it is
     * rewound, and the headroom every write keeps. Checked before an import starts, so that one
     * which fits is not stopped half way by {@link #STAGING_HEADROOM}. Nothing to store needs nothing.
     */
    public static long stagingBytes(long contentBytes, long fileCount) {
        if (contentBytes <= 0 && fileCount <= 0) {
            return 0;
        }
        long stored = Math.max(0, contentBytes) + Math.max(0, fileCount) * PER_FILE_BYTES;
        return stored + Math.min(stored, WalCheckpoints.USUAL_MAX_BYTES) + STAGING_HEADROOM;
    }

    /**
     * As {@link #stagingBytes(long, long)} where the file count is not known yet (a drive's
     * listing); each import checks again with it.
     */
    public static long stagingBytes(long contentBytes) {
        return stagingBytes(contentBytes, 0);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChunkStore.class);

    private final Database db;
    private final ChunkDictionaries dictionaries;
    /** Told (on the reading thread) when a read or scrub records damage not recorded before. */
    private volatile Runnable onNewDamage = () -> { };
    private volatile Set<String> knownDamaged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long knownGeneration = Long.MIN_VALUE;

    public ChunkStore(Database db) {
        this.db = db;
        this.dictionaries = new ChunkDictionaries(db);
    }

    /**
     * A compressor for the chunks of one pull (see {@link ChunkCompressor}); the chunks stored
     * with it are marked with a fresh staging id, which owns its dictionary.
     */
    public ChunkCompressor compressor() {
        return new ChunkCompressor(dictionaries, newStagingId());
    }

    /** A file after staging: its hash, size and chunks, all stored, but part of no pack yet. */
    public record StagedFile(String sha256, long size, List<ChunkRef> chunks) {
        public FileRecipe recipe() {
            return new FileRecipe(sha256, size, chunks);
        }
    }

    /**
     * Reads {@code in} to its end (at most {@code maxBytes}), stores its chunks and its recipe,
     * and returns what it read. The caller checks the result against what it expected; a
     * mismatch leaves only orphans, which a later sweep removes.
     *
     * @throws TooLargeException when the stream holds more than {@code maxBytes}
     */
    public StagedFile stage(InputStream in, long maxBytes, LongConsumer bytesRead) throws IOException {
        return stage(in, maxBytes, bytesRead, null, null, null);
    }

    /** Runs {@code write} on {@code writer}, or now when there is none. */
    private static void write(WriteBehind writer, Runnable write) {
        if (writer == null) {
            write.run();
        } else {
            writer.submit(write);
        }
    }

    private StagedFile stage(InputStream in, long maxBytes, LongConsumer bytesRead, WriteBehind writer,
                             Long stagedBy, ChunkCompressor compressor) throws IOException {
        MessageDigest fileDigest = Hashes.sha256();
        List<ChunkRef> refs = new ArrayList<>();
        List<ChunkCodec.Encoded> batchData = new ArrayList<>();
        List<ChunkRef> batchRefs = new ArrayList<>();
        long total = 0;
        while (true) {
            byte[] buf = in.readNBytes(CHUNK_SIZE);
            if (buf.length == 0) {
                break;
            }
            total += buf.length;
            if (total > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            fileDigest.update(buf);
            ChunkRef ref = new ChunkRef(Hashes.sha256Hex(buf), buf.length);
            refs.add(ref);
            batchRefs.add(ref);
            // Compressed here, not on the writer: the write lock is held only for the insert.
            batchData.add(encode(compressor, buf));
            if (batchRefs.size() >= BATCH_CHUNKS) {
                List<ChunkRef> r = List.copyOf(batchRefs);
                List<ChunkCodec.Encoded> d = List.copyOf(batchData);
                write(writer, () -> putEncoded(r, d, stagedBy));
                batchRefs.clear();
                batchData.clear();
                // A safe point to stop (server shutdown): what is committed stays, and a retry reuses it.
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.io.InterruptedIOException("Stopped; the " + total
                            + " bytes stored so far are kept and reused when this is tried again");
                }
            }
            bytesRead.accept(buf.length);
            if (buf.length < CHUNK_SIZE) {
                break;
            }
        }
        if (in.read() != -1) {
            // readNBytes returned short only at end of stream; this guards odd streams.
            throw new IOException("stream did not end where expected");
        }
        StagedFile staged = new StagedFile(Hashes.hex(fileDigest.digest()), total, refs);
        write(writer, () -> {
            putEncoded(batchRefs, batchData, stagedBy);
            putRecipes(List.of(staged.recipe()), stagedBy);
        });
        return staged;
    }

    /**
     * A writer thread for bulk staging ({@link #batch(WriteBehind)}) whose WAL checkpoints run
     * beside its writes rather than inside them; close it when the bulk writing is done.
     */
    public WriteBehind bulkWriter(String name, int depth) {
        return new WriteBehind(name, depth, db);
    }

    /** Stages many small files per transaction; see {@link Batch}. */
    public Batch batch() {
        return new Batch(null, null);
    }

    /** A {@link Batch} whose writes run on {@code writer}: {@link WriteBehind#finish} it before reading. */
    public Batch batch(WriteBehind writer) {
        return new Batch(writer, null);
    }

    /**
     * A {@link Batch} on {@code writer} whose new chunks and recipes are marked as staged by
     * {@code stagedBy} (an id of the import's own, {@link #newStagingId}), so that
     * {@link #discardStaged} removes them at once if the import fails.
     */
    public Batch batch(WriteBehind writer, long stagedBy) {
        return new Batch(writer, stagedBy);
    }

    private static final java.security.SecureRandom STAGING_IDS = new java.security.SecureRandom();

    /** A fresh id for {@link #batch(WriteBehind, long)}. */
    public static long newStagingId() {
        return STAGING_IDS.nextLong() & Long.MAX_VALUE | 1;
    }

    /**
     * Stages files like {@link #stage}, but keeps files of less than one chunk in memory until
     * about 8 MiB or 8,192 files have gathered, then writes their chunks and recipes in one
     * transaction: with 64 KiB pages, a transaction per small file rewrites several whole pages
     * for a few KB, and 10,000 pages of a website took half of a 1 GB import. The count is
     * high so that the bytes decide for small pages: chunk hashes and file hashes are random
     * keys, so every transaction rewrites most leaves of their indexes whatever it holds, and
     * at 512 files a transaction an import wrote its library about 50 times over
     * (docs/performance.md, "Fewer, larger transactions"). Call {@link #flush} before anything
     * reads what was staged; what was never flushed was never stored.
     */
    public final class Batch {
        private static final long FLUSH_BYTES = 8L << 20;
        private static final int FLUSH_FILES = 8192;
        private final List<ChunkRef> refs = new ArrayList<>();
        private final List<ChunkCodec.Encoded> data = new ArrayList<>();
        private final List<FileRecipe> recipes = new ArrayList<>();
        private final WriteBehind writer;
        private final Long stagedBy;
        private final ChunkCompressor compressor;
        private long bytes;

        private Batch(WriteBehind writer, Long stagedBy) {
            this.writer = writer;
            this.stagedBy = stagedBy;
            // A dictionary needs an owner to be removed with the chunks of a failed import.
            this.compressor = stagedBy == null ? null : new ChunkCompressor(dictionaries, stagedBy);
        }

        public StagedFile stage(InputStream in, long maxBytes, LongConsumer bytesRead) throws IOException {
            return stage(in, maxBytes, bytesRead, content -> { });
        }

        /**
         * Also hands {@code smallContent} the bytes of a file of less than one chunk, which are
         * in memory anyway (unverified: the caller checks the returned hash first).
         */
        public StagedFile stage(InputStream in, long maxBytes, LongConsumer bytesRead,
                                java.util.function.Consumer<byte[]> smallContent) throws IOException {
            byte[] buf = in.readNBytes((int) Math.min(CHUNK_SIZE, maxBytes + 1));
            if (buf.length > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            if (buf.length == CHUNK_SIZE) {
                flush();
                return ChunkStore.this.stage(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(buf), in),
                        maxBytes, bytesRead, writer, stagedBy, compressor);
            }
            if (in.read() != -1) {
                throw new IOException("stream did not end where expected");
            }
            String hash = Hashes.sha256Hex(buf);
            List<ChunkRef> chunks = buf.length == 0 ? List.of() : List.of(new ChunkRef(hash, buf.length));
            if (buf.length > 0) {
                refs.add(chunks.get(0));
                data.add(encode(compressor, buf));
            }
            StagedFile staged = new StagedFile(hash, buf.length, chunks);
            smallContent.accept(buf);
            recipes.add(staged.recipe());
            bytes += buf.length;
            bytesRead.accept(buf.length);
            if (bytes >= FLUSH_BYTES || recipes.size() >= FLUSH_FILES) {
                flush();
            }
            return staged;
        }

        public void flush() {
            if (recipes.isEmpty()) {
                return;
            }
            List<ChunkRef> refs = List.copyOf(this.refs);
            List<ChunkCodec.Encoded> data = List.copyOf(this.data);
            List<FileRecipe> recipes = List.copyOf(this.recipes);
            write(writer, () -> {
                long now = System.currentTimeMillis();
                db.write(c -> {
                    insertChunks(c, refs, data, now, stagedBy);
                    for (FileRecipe r : recipes) {
                        writeRecipe(c, r, now, stagedBy);
                    }
                    return null;
                });
            });
            this.refs.clear();
            this.data.clear();
            this.recipes.clear();
            bytes = 0;
        }
    }

    /** The stream held more bytes than allowed. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    /**
     * Stores chunks whose hashes the caller has already verified; existing ones are skipped,
     * which is what makes retries and shared files cheap.
     */
    public void putChunks(List<ChunkRef> refs, List<byte[]> data) {
        putChunks(refs, data, null);
    }

    /** As {@link #putChunks(List, List)}, compressed by {@code compressor} (null: each chunk alone). */
    public void putChunks(List<ChunkRef> refs, List<byte[]> data, ChunkCompressor compressor) {
        putChunksAndRecipes(refs, data, compressor, List.of());
    }

    /**
     * {@link #putChunks(List, List, ChunkCompressor)}, then {@link #putRecipes(List)} of the files
     * those chunks complete, in one transaction: a transaction rewrites most leaves of the
     * chunk and recipe indexes, whose keys are random, however few rows it adds.
     */
    public void putChunksAndRecipes(List<ChunkRef> refs, List<byte[]> data, ChunkCompressor compressor,
                                    List<FileRecipe> recipes) {
        Set<String> missing = refs.isEmpty() ? Set.of() : missing(refs.stream().map(ChunkRef::hash).toList());
        List<ChunkRef> newRefs = new ArrayList<>();
        List<ChunkCodec.Encoded> encoded = new ArrayList<>();
        for (int i = 0; i < refs.size() && !missing.isEmpty(); i++) {
            if (missing.remove(refs.get(i).hash())) { // also skips a chunk repeated inside one batch
                newRefs.add(refs.get(i));
                encoded.add(encode(compressor, data.get(i)));
            }
        }
        if (newRefs.isEmpty() && recipes.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        Long stagedBy = compressor == null ? null : compressor.stagedBy();
        db.write(c -> {
            insertChunks(c, newRefs, encoded, now, stagedBy);
            for (FileRecipe recipe : recipes) {
                writeRecipe(c, recipe, now, null);
            }
            return null;
        });
    }

    /** {@code raw} encoded by {@code compressor}, or alone when there is none. */
    private static ChunkCodec.Encoded encode(ChunkCompressor compressor, byte[] raw) {
        return compressor == null ? ChunkCodec.encode(raw) : compressor.encode(raw);
    }

    /** Stores chunks encoded already; existing ones are skipped. */
    private void putEncoded(List<ChunkRef> refs, List<ChunkCodec.Encoded> data, Long stagedBy) {
        if (refs.isEmpty()) {
            return;
        }
        Set<String> missing = missing(refs.stream().map(ChunkRef::hash).toList());
        List<ChunkRef> newRefs = new ArrayList<>();
        List<ChunkCodec.Encoded> encoded = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (missing.remove(refs.get(i).hash())) {
                newRefs.add(refs.get(i));
                encoded.add(data.get(i));
            }
        }
        insertChunks(newRefs, encoded, stagedBy);
    }

    /**
     * SQL true when no recipe uses the chunk of the row {@code chunk}: listed in {@code file_chunk},
     * or the one chunk of a file of one chunk, which has no row there ({@link #writeRecipe}).
     */
    static final String CHUNK_UNUSED = " NOT EXISTS (SELECT 1 FROM file_chunk fc WHERE fc.chunk_hash = chunk.hash)"
            + " AND NOT EXISTS (SELECT 1 FROM file_recipe ur WHERE ur.file_hash = chunk.hash AND ur.chunk_count = 1)";

    private static final String INSERT_CHUNK =
            "INSERT OR IGNORE INTO chunk(hash, size, created_at, data, codec, staged_by, crc) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private static void bindChunk(PreparedStatement ps, ChunkRef ref, ChunkCodec.Encoded data, long now,
                                  Long stagedBy) throws SQLException {
        ps.setString(1, ref.hash());
        ps.setLong(2, ref.size());
        ps.setLong(3, now);
        ps.setBytes(4, data.data());
        ps.setInt(5, data.encoding().code);
        if (stagedBy == null) {
            ps.setNull(6, java.sql.Types.INTEGER);
        } else {
            ps.setLong(6, stagedBy);
        }
        ps.setInt(7, data.crc());
    }

    private void insertChunks(List<ChunkRef> refs, List<ChunkCodec.Encoded> data, Long stagedBy) {
        if (refs.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        db.write(c -> {
            insertChunks(c, refs, data, now, stagedBy);
            return null;
        });
    }

    private static void insertChunks(Connection c, List<ChunkRef> refs, List<ChunkCodec.Encoded> data, long now,
                                     Long stagedBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_CHUNK)) {
            for (int i = 0; i < refs.size(); i++) {
                bindChunk(ps, refs.get(i), data.get(i), now, stagedBy);
                ps.executeUpdate();
            }
        }
    }

    /** Records a file's chunk list; refreshes its age so a sweep spares it while in use. */
    public void putRecipe(FileRecipe recipe) {
        putRecipes(List.of(recipe));
    }

    /** Records several files' chunk lists in one transaction. */
    public void putRecipes(List<FileRecipe> recipes) {
        putRecipes(recipes, null);
    }

    private void putRecipes(List<FileRecipe> recipes, Long stagedBy) {
        if (recipes.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        db.write(c -> {
            for (FileRecipe recipe : recipes) {
                writeRecipe(c, recipe, now, stagedBy);
            }
            return null;
        });
    }

    private static void writeRecipe(Connection c, FileRecipe recipe, long now, Long stagedBy) throws SQLException {
        // staged_by stays that of whoever stored the recipe first: another import may be using it.
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO file_recipe(file_hash, size, chunk_count, created_at, staged_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(file_hash) DO UPDATE SET created_at = excluded.created_at""")) {
            ps.setString(1, recipe.fileHash());
            ps.setLong(2, recipe.size());
            ps.setInt(3, recipe.chunks().size());
            ps.setLong(4, now);
            if (stagedBy == null) {
                ps.setNull(5, java.sql.Types.INTEGER);
            } else {
                ps.setLong(5, stagedBy);
            }
            ps.executeUpdate();
        }
        if (recipe.chunks().size() == 1 && recipe.chunks().get(0).hash().equals(recipe.fileHash())) {
            // A file of one chunk is that chunk (same bytes, same hash): no row says so. Half of a
            // library of small pages' per-file rows (docs/performance.md, "Scale").
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO file_chunk(file_hash, seq, chunk_hash, size) VALUES (?, ?, ?, ?)")) {
            int seq = 0;
            for (ChunkRef ref : recipe.chunks()) {
                ps.setString(1, recipe.fileHash());
                ps.setInt(2, seq++);
                ps.setString(3, ref.hash());
                ps.setLong(4, ref.size());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The hashes among {@code hashes} that are not stored, in the given order. */
    public Set<String> missing(Collection<String> hashes) {
        return db.read(c -> {
            Set<String> missing = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM chunk WHERE hash = ?")) {
                for (String h : hashes) {
                    ps.setString(1, h);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            missing.add(h);
                        }
                    }
                }
            }
            return missing;
        });
    }

    /** One query, prepared once per pooled reader: large files and syncs look recipes up by the thousand. */
    private static final String RECIPE = """
            SELECT r.size, c.chunk_hash, c.size, r.chunk_count FROM file_recipe r
              LEFT JOIN file_chunk c ON c.file_hash = r.file_hash
             WHERE r.file_hash = ? ORDER BY c.seq""";

    public Optional<FileRecipe> recipe(String fileHash) {
        return db.query(RECIPE, ps -> recipe(ps, fileHash));
    }

    /**
     * The recorded recipes among {@code fileHashes}, by file hash, read on one connection: a sync
     * or a peer's manifest asks about every file of a pack at once (10,000 for a website).
     */
    public java.util.Map<String, FileRecipe> recipes(Collection<String> fileHashes) {
        return db.read(c -> {
            java.util.Map<String, FileRecipe> out = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(RECIPE)) {
                for (String h : new LinkedHashSet<>(fileHashes)) {
                    recipe(ps, h).ifPresent(r -> out.put(h, r));
                }
            }
            return out;
        });
    }

    private static Optional<FileRecipe> recipe(PreparedStatement ps, String fileHash) throws SQLException {
        ps.setString(1, fileHash);
        long size = -1;
        int count = 0;
        List<ChunkRef> chunks = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                size = rs.getLong(1);
                count = rs.getInt(4);
                String chunk = rs.getString(2);
                if (chunk != null) {
                    chunks.add(new ChunkRef(chunk, rs.getLong(3)));
                }
            }
        }
        if (count == 1 && chunks.isEmpty()) {
            chunks.add(new ChunkRef(fileHash, size));
        }
        return size < 0 ? Optional.empty() : Optional.of(new FileRecipe(fileHash, size, chunks));
    }

    /**
     * One chunk's bytes, checked against its SHA-256 before they are handed out: a disk that rots
     * must never make the library serve, export or pass on wrong bytes. Each call borrows a
     * connection only for the read, so a slow client downloading a large file never holds a
     * connection while its socket drains.
     *
     * @throws DamagedChunkException when the stored bytes do not match (the damage is recorded)
     */
    public Optional<byte[]> readChunk(String hash) {
        Optional<Stored> stored = readStored(hash);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Stored s = stored.get();
        byte[] raw = ChunkCodec.decode(s.encoding(), s.data(), s.size(), dictionaries);
        // The CRC-32C stored beside the chunk when it was written (after its SHA-256 was checked)
        // catches what a disk does to it at a hundredth of SHA-256's cost; chunks stored before
        // it existed are checked against their SHA-256. The scrub and verify always use SHA-256.
        boolean ok = raw.length == s.size() && (s.crc() == null ? intact(hash, raw) : ChunkCodec.crc(raw) == s.crc());
        if (!ok) {
            throw damaged(hash);
        }
        return Optional.of(raw);
    }

    private record Stored(ChunkEncoding encoding, byte[] data, long size, Integer crc) {
    }

    private Optional<Stored> readStored(String hash) {
        return db.query("SELECT data, codec, size, crc FROM chunk WHERE hash = ?", ps -> {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long crc = rs.getLong(4);
                Integer checksum = rs.wasNull() ? null : (int) crc;
                return Optional.of(new Stored(ChunkEncoding.of(rs.getInt(2)), rs.getBytes(1), rs.getLong(3), checksum));
            }
        });
    }

    /** A chunk's raw bytes as stored, unchecked: for the verifier and the scrub, which check them. */
    Optional<byte[]> readUnchecked(String hash) {
        return readEncoded(hash).map(e -> ChunkCodec.decode(e.encoding(), e.data(), e.size(), dictionaries));
    }

    static boolean intact(String hash, byte[] raw) {
        return raw.length <= CHUNK_SIZE && Hashes.sha256Hex(raw).equals(hash);
    }

    /** A damaged chunk as listed for repair: its raw size, a pack file that uses it, when it was found. */
    public record DamagedChunk(String hash, long size, String where, long foundAt) {
    }

    /**
     * Records that the chunk {@code hash} is damaged (once: it is logged when first found) and
     * returns the exception that refuses it. Recording is best effort: on a full disk the damage
     * is still refused and logged, and found again by the next read or scrub.
     */
    DamagedChunkException damaged(String hash) {
        String where = "";
        try {
            where = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT pf.pack_id || '/' || pf.path FROM pack_file pf WHERE pf.sha256 = ?1
                        UNION ALL
                        SELECT pf.pack_id || '/' || pf.path FROM file_chunk fc
                          JOIN pack_file pf ON pf.sha256 = fc.file_hash
                         WHERE fc.chunk_hash = ?1 LIMIT 1""")) {
                    ps.setString(1, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : "";
                    }
                }
            });
        } catch (StoreException e) {
            // Where it is used only helps the admin; the refusal matters more.
        }
        String found = where;
        boolean recorded;
        try {
            recorded = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT OR IGNORE INTO damaged_chunk(hash, found_at, where_found) VALUES (?, ?, ?)")) {
                    ps.setString(1, hash);
                    ps.setLong(2, System.currentTimeMillis());
                    ps.setString(3, found);
                    return ps.executeUpdate() > 0;
                }
            });
        } catch (StoreException e) {
            recorded = knownDamaged.add(hash);
            if (recorded) {
                LOG.warn("Could not record damaged chunk {}: {}", hash, e.getMessage());
            }
        }
        knownDamaged.add(hash);
        if (recorded) {
            LOG.error("Stored chunk {}{} is damaged (its bytes no longer match their SHA-256); it is refused"
                    + " until 'repair' stores a good copy", hash, found.isEmpty() ? "" : " of " + found);
            try {
                onNewDamage.run();
            } catch (RuntimeException e) {
                LOG.warn("Damage listener failed: {}", e.toString());
            }
        }
        return new DamagedChunkException(hash, found);
    }

    /** Whom to tell when new damage is recorded (the server's self-healing); must return at once. */
    public void onNewDamage(Runnable listener) {
        this.onNewDamage = listener;
    }

    /** The chunks recorded as damaged, oldest first. */
    public List<DamagedChunk> damaged() {
        return db.read(c -> {
            List<DamagedChunk> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    """
                    SELECT d.hash, coalesce(c.size, -1), d.where_found, d.found_at FROM damaged_chunk d
                      LEFT JOIN chunk c ON c.hash = d.hash ORDER BY d.found_at, d.hash""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DamagedChunk(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    /**
     * Refuses, before an answer's headers go out, a byte range of a file that uses a chunk known
     * to be damaged: the client then gets an error instead of a connection broken midway. Costs
     * nothing while no damage is known; damage not yet known is still refused by the read itself.
     */
    public void refuseKnownDamage(FileRecipe recipe, long offset, long length) {
        Set<String> known = knownDamaged();
        if (known.isEmpty()) {
            return;
        }
        long at = 0;
        for (ChunkRef ref : recipe.chunks()) {
            if (at >= offset + length) {
                break;
            }
            if (at + ref.size() > offset && known.contains(ref.hash())) {
                throw damaged(ref.hash());
            }
            at += ref.size();
        }
    }

    /** Damaged chunks as last read from the library, read again when anything was committed since. */
    private Set<String> knownDamaged() {
        long generation = db.generation();
        if (generation != knownGeneration) {
            Set<String> fresh = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (DamagedChunk d : damaged()) {
                fresh.add(d.hash());
            }
            knownDamaged = fresh;
            knownGeneration = generation;
        }
        return knownDamaged;
    }

    /** Takes a chunk off the damaged list without storing anything (it is no longer stored). */
    public void forget(String hash) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM damaged_chunk WHERE hash = ?")) {
                ps.setString(1, hash);
                ps.executeUpdate();
            }
            return null;
        });
        knownDamaged.remove(hash);
    }

    /**
     * Stores a good copy of a damaged or missing chunk, given its raw bytes, and forgets its damage.
     * False (nothing changed) when the bytes do not match {@code hash}.
     */
    public boolean restore(String hash, byte[] raw) {
        if (!intact(hash, raw)) {
            return false;
        }
        ChunkCodec.Encoded encoded = ChunkCodec.encode(raw);
        db.write(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE chunk SET data = ?, codec = ?, size = ?, crc = ? WHERE hash = ?")) {
                ps.setBytes(1, encoded.data());
                ps.setInt(2, encoded.encoding().code);
                ps.setLong(3, raw.length);
                ps.setInt(4, encoded.crc());
                ps.setString(5, hash);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement(INSERT_CHUNK)) {
                    bindChunk(ps, new ChunkRef(hash, raw.length), encoded, System.currentTimeMillis(), null);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM damaged_chunk WHERE hash = ?")) {
                ps.setString(1, hash);
                ps.executeUpdate();
            }
            return null;
        });
        knownDamaged.remove(hash);
        return true;
    }

    /**
     * A chunk as it is stored, {@code size} being that of its raw bytes. A server may send a
     * {@link ChunkEncoding#ZSTD} chunk as it is to a client that accepts {@code zstd}, or a file's
     * chunks in order when all of them are (their frames make one zstd stream), instead of
     * compressing the file again for every request; not a {@link ChunkEncoding#ZSTD_DICTIONARY} one.
     */
    public record EncodedChunk(ChunkEncoding encoding, byte[] data, long size) {
    }

    /** One chunk as stored; see {@link EncodedChunk}. */
    public Optional<EncodedChunk> readEncoded(String hash) {
        // The statement is prepared once per pooled reader: a sync or a video reads thousands of chunks.
        return db.query("SELECT data, codec, size FROM chunk WHERE hash = ?", ps -> {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new EncodedChunk(ChunkEncoding.of(rs.getInt(2)), rs.getBytes(1), rs.getLong(3)))
                        : Optional.empty();
            }
        });
    }

    /**
     * Streams {@code length} bytes of a stored file from {@code offset}, reading one chunk at a
     * time. Fails with an IOException if a chunk turns out to be missing.
     */
    public InputStream open(FileRecipe recipe, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > recipe.size()) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside 0.." + recipe.size());
        }
        return new ChunkInputStream(this, recipe, offset, length);
    }

    /** Streams a whole stored file. */
    public InputStream open(FileRecipe recipe) {
        return open(recipe, 0, recipe.size());
    }

    /** Total bytes of all stored chunks (each counted once, however many files share it). */
    public long storedBytes() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(size), 0) FROM chunk");
                 ResultSet rs = ps.executeQuery()) {
                return rs.getLong(1);
            }
        });
    }

    /** Hashes of all stored chunks, for verification. */
    public List<String> allChunkHashes() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM chunk ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /**
     * Frees the storage of files that no installed pack uses any more (after a delete or an
     * update). Recipes or chunks touched since this call began belong to work in progress and
     * stay; a publish that lost a chunk to this race notices and is retried.
     */
    public void release(Collection<String> fileHashes) {
        long startedAt = System.currentTimeMillis();
        List<String> hashes = new ArrayList<>(new LinkedHashSet<>(fileHashes));
        for (int from = 0; from < hashes.size(); from += 64) {
            List<String> batch = hashes.subList(from, Math.min(hashes.size(), from + 64));
            db.write(c -> {
                for (String fileHash : batch) {
                    releaseFile(c, fileHash, startedAt);
                }
                return null;
            });
        }
    }

    private static void releaseFile(Connection c, String fileHash, long startedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM file_recipe WHERE file_hash = ? AND created_at < ?
                  AND NOT EXISTS (SELECT 1 FROM pack_file pf WHERE pf.sha256 = file_recipe.file_hash)""")) {
            ps.setString(1, fileHash);
            ps.setLong(2, startedAt + 1);
            if (ps.executeUpdate() == 0) {
                return;
            }
        }
        List<String> chunks = new ArrayList<>();
        chunks.add(fileHash); // the chunk of a file of one chunk, if it was one
        try (PreparedStatement ps = c.prepareStatement("SELECT chunk_hash FROM file_chunk WHERE file_hash = ?")) {
            ps.setString(1, fileHash);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chunks.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM file_chunk WHERE file_hash = ?")) {
            ps.setString(1, fileHash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM chunk WHERE hash = ? AND created_at < ? AND """ + CHUNK_UNUSED)) {
            for (String chunk : new LinkedHashSet<>(chunks)) {
                ps.setString(1, chunk);
                ps.setLong(2, startedAt + 1);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Removes at once what a failed or refused import staged ({@link #batch(WriteBehind, long)}):
     * its recipes no installed pack uses, and its chunks no remaining recipe uses (another import
     * running meanwhile may share some). In short transactions, so the WAL stays small on a disk
     * that may be nearly full. Returns the number of chunks removed.
     */
    public int discardStaged(long stagedBy) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM file_chunk WHERE file_hash IN (SELECT file_hash FROM file_recipe r WHERE r.staged_by = ?
                      AND NOT EXISTS (SELECT 1 FROM pack_file pf WHERE pf.sha256 = r.file_hash))""")) {
                ps.setLong(1, stagedBy);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM file_recipe WHERE staged_by = ?
                      AND NOT EXISTS (SELECT 1 FROM pack_file pf WHERE pf.sha256 = file_recipe.file_hash)""")) {
                ps.setLong(1, stagedBy);
                ps.executeUpdate();
            }
            return null;
        });
        int removed = 0;
        while (true) {
            int n = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        DELETE FROM chunk WHERE id IN (SELECT id FROM chunk WHERE staged_by = ?
                          AND """ + CHUNK_UNUSED + " LIMIT 64)")) {
                    ps.setLong(1, stagedBy);
                    return ps.executeUpdate();
                }
            });
            removed += n;
            if (n == 0) {
                db.write(c -> {
                    ChunkDictionaries.dropUnused(c, stagedBy, Long.MAX_VALUE);
                    return null;
                });
                return removed;
            }
        }
    }

    /**
     * Removes recipes, chunks and staged search text that no installed pack uses and that are older than
     * {@code grace}. Returns the number of chunks removed.
     */
    public int sweep(Duration grace) {
        // At most: with no grace, what was staged in this very millisecond goes too.
        long cutoff = System.currentTimeMillis() - grace.toMillis();
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM file_recipe WHERE created_at <= ?
                      AND NOT EXISTS (SELECT 1 FROM pack_file pf WHERE pf.sha256 = file_recipe.file_hash)""")) {
                ps.setLong(1, cutoff);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM file_chunk WHERE NOT EXISTS
                      (SELECT 1 FROM file_recipe r WHERE r.file_hash = file_chunk.file_hash)""")) {
                ps.executeUpdate();
            }
            SearchIndex.removeStaged(c, "created_at <= ?", ps -> ps.setLong(1, cutoff));
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM chunk WHERE created_at <= ? AND """ + CHUNK_UNUSED)) {
                ps.setLong(1, cutoff);
                int removed = ps.executeUpdate();
                ChunkDictionaries.dropUnused(c, null, cutoff);
                return removed;
            }
        });
    }
}
