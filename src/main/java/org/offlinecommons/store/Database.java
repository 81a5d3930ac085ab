package org.offlinecommons.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The library's single SQLite file: one writer connection behind a lock, and a small bounded
 * pool of readers.
 *
 * <p>SQLite allows one writer at a time anyway; taking our own lock first means writers queue
 * in Java instead of spinning on {@code SQLITE_BUSY}, and {@code BEGIN IMMEDIATE} makes a second
 * process (the CLI next to a running server) wait on the busy timeout instead of failing at
 * commit. WAL mode lets readers keep serving while an import writes.
 */
public final class Database implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);

    /** Large pages make 1 MiB chunk inserts about 2.5x faster than the default 4 KiB. */
    static final int PAGE_SIZE = 65536;
    static final int BUSY_TIMEOUT_MS = 30_000;
    private static final int AUTO_CHECKPOINT_PAGES = 1000;

    private final Path file;
    /** Null when the library is open read-only (see {@link #readOnly()}). */
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders = new ArrayList<>();
    /**
     * Statements prepared once per reader and kept: preparing costs more than running the small
     * lookups of a request. Filled before the pool opens; each inner map is used only by the
     * thread holding its connection.
     */
    private final Map<Connection, Map<String, PreparedStatement>> prepared = new IdentityHashMap<>();
    private volatile boolean closed;
    /** Grows when a commit is seen: ours at once, another process's by the watcher; see {@link #generation()}. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    /**
     * A read connection of its own for {@link #generation()}: asking a pooled reader would make
     * every request queue for the pool and take SQLite's read locks just to learn that nothing changed.
     */
    private final Connection watcher;
    private final ReentrantLock watchLock = new ReentrantLock();
    /** Guarded by watchLock. */
    private long watchedVersion = Long.MIN_VALUE;
    private volatile long watchedAt = System.nanoTime() - OTHER_PROCESS_CHECK_NANOS;

    /**
     * How stale {@link #generation()} may be about commits by another process (the CLI importing
     * next to the server): nobody notices a tenth of a second, and it saves a query per request.
     */
    static final long OTHER_PROCESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Opened on first use by {@link #checkpointAside}; guarded by itself. */
    private final Connection[] checkpointer = {null};
    /** How many bulk writers asked the writer connection not to checkpoint; guarded by writeLock. */
    private int autoCheckpointHolds;

    private Database(Path file, int readerCount, boolean readOnly) throws SQLException {
        this.file = file;
        this.readers = new ArrayBlockingQueue<>(readerCount);
        Connection w = null;
        Connection watching = null;
        try {
            w = readOnly ? null : open(file, false);
            if (readOnly) {
                checkSchemaWithoutMigrating(file);
            } else {
                Schema.migrate(w);
            }
            for (int i = 0; i < readerCount; i++) {
                Connection reader = readOnly ? openImmutable(file) : open(file, true);
                allReaders.add(reader);
                prepared.put(reader, new HashMap<>());
                readers.add(reader);
            }
            watching = readOnly ? openImmutable(file) : open(file, true);
        } catch (SQLException | RuntimeException e) {
            // Nothing may stay open on a failed open: the caller may retry read-only, or unmount.
            allReaders.forEach(Database::closeQuietly);
            if (w != null) {
                closeQuietly(w);
            }
            throw e;
        }
        this.writer = w;
        this.watcher = watching;
    }

    /**
     * Loads SQLite's driver and native library (extracted from the jar on every start) and runs one
     * statement, so that a process can do it on a second thread while its main thread is busy
     * elsewhere (docs/performance.md, "Startup"). Failures are left to the real open to report.
     */
    public static void preload() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:", new SQLiteConfig().toProperties());
             PreparedStatement ps = c.prepareStatement("SELECT ?")) {
            ps.setLong(1, 1);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        } catch (SQLException e) {
            // Only a head start.
        }
    }

    /** Opens (creating if needed) the library in {@code dataDir}/library.db. */
    public static Database open(Path dataDir) {
        return open(dataDir, Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() * 2)));
    }

    public static Database open(Path dataDir, int readerCount) {
        return open(dataDir, readerCount, "library.db");
    }

    static Database open(Path dataDir, int readerCount, String fileName) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("Cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
        }
        Path file = dataDir.resolve(fileName);
        boolean spareReleased = SpareSpace.releaseIfDiskFull(dataDir);
        if (spareReleased) {
            LOG.warn("The disk holding {} is full: gave back the space kept spare there, so that packs can"
                    + " still be deleted to make room", file);
        }
        try {
            return new Database(file, readerCount, false);
        } catch (SQLException e) {
            if (!diskFull(e) || !Files.exists(file)) {
                throw new StoreException("Cannot open the library " + file + ": " + e.getMessage(), e);
            }
            return openReadOnly(file, readerCount, spareReleased, e);
        }
    }

    /**
     * On a full disk SQLite cannot even create the shared-memory file that WAL readers need.
     * The library then opens read-only, bypassing WAL and locks (SQLite's immutable mode): it
     * still lists, verifies, serves and backs up. That is only safe when no WAL holds commits
     * the database file lacks, so with a non-empty WAL it refuses instead.
     */
    private static Database openReadOnly(Path file, int readerCount, boolean spareReleased, SQLException cause) {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        long walBytes;
        try {
            walBytes = Files.exists(wal) ? Files.size(wal) : 0;
        } catch (IOException e) {
            walBytes = 1;
        }
        if (walBytes > 0) {
            throw new StoreException("The disk holding " + file + " is full and its write-ahead log " + wal
                    + " holds changes not yet in the library, so it cannot be opened; free some space on that disk"
                    + " and try again", cause);
        }
        try {
            Database db = new Database(file, readerCount, true);
            LOG.warn("The disk holding {} is full{}: the library is open read-only until space is freed",
                    file, spareReleased ? " even after giving back the space kept spare for this" : "");
            return db;
        } catch (SQLException e) {
            e.addSuppressed(cause);
            throw new StoreException("Cannot open the library " + file + ", even read-only: " + e.getMessage(), e);
        }
    }

    private static boolean diskFull(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_FULL") || m.contains("SQLITE_IOERR_SHMSIZE") || m.contains("SQLITE_IOERR_SHMMAP")
                || m.contains("SQLITE_IOERR_WRITE") || m.contains("SQLITE_IOERR_TRUNCATE");
    }

    private static void checkSchemaWithoutMigrating(Path file) throws SQLException {
        try (Connection c = openImmutable(file);
             Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            int version = rs.next() ? rs.getInt(1) : 0;
            if (version != Schema.latestVersion()) {
                throw new SQLException("its schema (version " + version + ") needs an upgrade to version "
                        + Schema.latestVersion() + ", which needs free disk space");
            }
        }
    }

    private static Connection openImmutable(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toUri() + "?immutable=1", config.toProperties());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA cache_size=-2048");
            s.execute("PRAGMA temp_store=MEMORY");
        }
        return c;
    }

    /**
     * True when the library was opened read-only because its disk is full: reads work, every
     * write fails with a message saying so.
     */
    public boolean readOnly() {
        return writer == null;
    }

    private void ensureWritable() {
        ensureOpen();
        if (writer == null) {
            throw new StoreException("The disk holding " + file + " is full, so the library is open read-only;"
                    + " free some space on that disk and start again", null);
        }
    }

    private static Connection open(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setReadOnly(readOnly);
        // The driver otherwise runs "SELECT last_insert_rowid()" as a second statement after every
        // INSERT, in case someone asks for the keys; nobody here does, and an import inserts
        // tens of thousands of rows on its critical writer thread.
        config.setGetGeneratedKeys(false);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
        try (Statement s = c.createStatement()) {
            if (!readOnly) {
                // page_size only takes effect before the first table exists, so it must come
                // before the switch to WAL, which fixes the page size for good, and before
                // auto_vacuum, which on a new file fixes it too (at SQLite's default of 4 KiB).
                s.execute("PRAGMA page_size=" + PAGE_SIZE);
                // Like page_size, only a new library takes it: freed pages can then be given back to
                // the filesystem (reclaimSpace) after a delete or a failed import.
                s.execute("PRAGMA auto_vacuum=INCREMENTAL");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
                // Checkpoint about every 64 MiB of WAL so one large pack cannot grow it unbounded.
                s.execute("PRAGMA wal_autocheckpoint=" + AUTO_CHECKPOINT_PAGES);
            }
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            // The server must fit a small box: 8 MiB for the writer (imports), 2 MiB for each reader,
            // whose lookups touch few pages and whose chunk reads the OS page cache serves as well.
            s.execute(readOnly ? "PRAGMA cache_size=-2048" : "PRAGMA cache_size=-8192");
            s.execute("PRAGMA temp_store=MEMORY");
        } catch (SQLException e) {
            // Left open, its file locks would keep SQLite from closing any later connection's files.
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    /** How many read connections the pool holds. */
    public int readerCount() {
        return allReaders.size();
    }

    public Path file() {
        return file;
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one {@code BEGIN IMMEDIATE} transaction on the writer connection. */
    public <T> T write(SqlWork<T> work) {
        ensureWritable();
        writeLock.lock();
        try {
            try (Statement s = writer.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                T result = work.run(writer);
                try (Statement s = writer.createStatement()) {
                    s.execute("COMMIT");
                }
                // Ours are seen at once; only another process's commits wait for the watcher.
                generation.incrementAndGet();
                return result;
            } catch (Throwable t) {
                try (Statement s = writer.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException rollbackFailure) {
                    t.addSuppressed(rollbackFailure);
                }
                throw t;
            }
        } catch (SQLException e) {
            throw new StoreException("Library write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a pooled read connection; waits when all are busy. */
    public <T> T read(SqlWork<T> work) {
        ensureOpen();
        Connection c;
        try {
            c = readers.poll(BUSY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for a database connection", e);
        }
        if (c == null) {
            throw new StoreException("The library is too busy right now; try again in a moment", null);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("Library read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    @FunctionalInterface
    public interface QueryWork<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs {@code work} with {@code sql} prepared on a pooled read connection, reusing the
     * statement that connection prepared before. {@code work} binds its parameters and must
     * close its result sets but not the statement.
     */
    public <T> T query(String sql, QueryWork<T> work) {
        return read(c -> run(c, sql, work));
    }

    private <T> T run(Connection c, String sql, QueryWork<T> work) throws SQLException {
        Map<String, PreparedStatement> statements = prepared.get(c);
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        boolean ran = false;
        try {
            T result = work.run(ps);
            ran = true;
            return result;
        } finally {
            if (ran) {
                ps.clearParameters();
            } else {
                // After a failure the statement may be unusable (and clearParameters would throw,
                // hiding the real error): prepare it afresh next time.
                statements.remove(sql);
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // the failure being thrown is the one that matters
                }
            }
        }
    }

    /**
     * A number that has grown if anything was committed before this call: at once for commits
     * of this process, within {@link #OTHER_PROCESS_CHECK_NANOS} for another's. Cheap enough for
     * every request (usually one volatile read), so caches of what was read can check it each time;
     * read it before reading what you cache, never after.
     */
    public long generation() {
        long now = System.nanoTime();
        if (now - watchedAt >= OTHER_PROCESS_CHECK_NANOS && watchLock.tryLock()) {
            // One thread asks SQLite; the others go on with the number they have, at most one interval old.
            try {
                if (now - watchedAt >= OTHER_PROCESS_CHECK_NANOS && !closed) {
                    try (Statement s = watcher.createStatement();
                         java.sql.ResultSet rs = s.executeQuery("PRAGMA data_version")) {
                        long version = rs.next() ? rs.getLong(1) : 0L;
                        if (version != watchedVersion) {
                            watchedVersion = version;
                            generation.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        throw new StoreException("Library read failed: " + e.getMessage(), e);
                    }
                    watchedAt = System.nanoTime();
                }
            } finally {
                watchLock.unlock();
            }
        }
        return generation.get();
    }

    /**
     * Copies what the WAL holds into the database file and syncs it, on a connection of its own
     * (a PASSIVE checkpoint: it neither waits for nor blocks readers and the writer), so that the
     * disk writes and fsyncs of a bulk import overlap with its next transactions instead of
     * stalling the writer after every ~64 MiB. Returns {frames in the WAL, frames now in the
     * database file}; equal when the next write may start the WAL afresh.
     */
    long[] checkpointAside() {
        ensureWritable();
        synchronized (checkpointer) {
            try {
                if (checkpointer[0] == null) {
                    checkpointer[0] = open(file, false);
                }
                try (Statement s = checkpointer[0].createStatement();
                     java.sql.ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    return rs.next() ? new long[] {rs.getLong(2), rs.getLong(3)} : new long[] {0, 0};
                }
            } catch (SQLException e) {
                throw new StoreException("Library checkpoint failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stops (or, when every holder let go, resumes) the writer connection's own checkpoints, for
     * a bulk writer that runs {@link #checkpointAside} on another thread instead.
     */
    void holdAutoCheckpoint(boolean hold) {
        ensureWritable();
        writeLock.lock();
        try {
            autoCheckpointHolds += hold ? 1 : -1;
            if (autoCheckpointHolds == (hold ? 1 : 0)) {
                try (Statement s = writer.createStatement()) {
                    s.execute("PRAGMA wal_autocheckpoint=" + (hold ? 0 : AUTO_CHECKPOINT_PAGES));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Library setting failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * SQLite's {@code quick_check}, on a connection of its own: FTS5 in a pooled connection can
     * check against a cached index structure that another connection has since changed, and
     * report a checksum mismatch where there is none.
     */
    public List<String> quickCheck() {
        ensureOpen();
        try (Connection c = readOnly() ? openImmutable(file) : open(file, true);
             Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("Cannot check the library " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a consistent copy of the whole library to {@code target} (which must not exist)
     * while readers and writers go on: {@code VACUUM INTO} reads one snapshot of the database.
     */
    public void backupTo(Path target) {
        read(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, target.toAbsolutePath().toString());
                ps.execute();
            }
            return null;
        });
    }

    /** Pages given back per step: 64 MiB through the WAL, which is truncated between steps. */
    private static final int VACUUM_STEP_PAGES = 1024;

    /**
     * Gives free pages back to the filesystem and truncates the WAL, in steps of bounded WAL
     * growth, so that a delete or a failed import really frees the disk. A library created before
     * incremental vacuum existed keeps its free pages for reuse (only a full VACUUM could change
     * that); its WAL is still truncated. Returns the bytes the library's files shrank by.
     */
    public long reclaimSpace() {
        ensureWritable();
        long before = filesBytes();
        writeLock.lock();
        try (Statement s = writer.createStatement()) {
            boolean incremental;
            try (java.sql.ResultSet rs = s.executeQuery("PRAGMA auto_vacuum")) {
                incremental = rs.next() && rs.getInt(1) == 2;
            }
            for (int step = 0; incremental && step < 1_000_000; step++) {
                long free;
                try (java.sql.ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
                    free = rs.next() ? rs.getLong(1) : 0;
                }
                if (free == 0) {
                    break;
                }
                // sqlite3_exec, not a JDBC statement: the pragma frees one page per step and the
                // driver steps a statement that returns no columns only once.
                int rc = writer.unwrap(org.sqlite.SQLiteConnection.class).getDatabase()
                        ._exec("PRAGMA incremental_vacuum(" + VACUUM_STEP_PAGES + ")");
                if (rc != 0) {
                    throw new SQLException("incremental_vacuum failed with SQLite code " + rc);
                }
                checkpointTruncate(s);
                long left;
                try (java.sql.ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
                    left = rs.next() ? rs.getLong(1) : 0;
                }
                if (left >= free) {
                    break; // no progress: nothing more can be given back now
                }
            }
            checkpointTruncate(s);
            generation.incrementAndGet();
        } catch (SQLException e) {
            throw new StoreException("Could not give free space back to the disk: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
        return Math.max(0, before - filesBytes());
    }

    /**
     * Copies the WAL into the library and truncates it: after a write failed for lack of disk,
     * this gives the WAL's space back first, so that the cleanup itself has room to write.
     */
    public void truncateWal() {
        ensureWritable();
        writeLock.lock();
        try (Statement s = writer.createStatement()) {
            checkpointTruncate(s);
        } catch (SQLException e) {
            throw new StoreException("Could not truncate the library's write-ahead log: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private static void checkpointTruncate(Statement s) throws SQLException {
        try (java.sql.ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            // busy (a reader holds an old snapshot) only leaves the WAL for the next checkpoint
        }
    }

    /** Bytes of the library file and its WAL. */
    public long filesBytes() {
        long total = 0;
        for (Path p : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
            try {
                total += Files.size(p);
            } catch (IOException e) {
                // absent
            }
        }
        return total;
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("The library is closed", null);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            for (Connection c : allReaders) {
                closeQuietly(c);
            }
            watchLock.lock();
            try {
                closeQuietly(watcher);
            } finally {
                watchLock.unlock();
            }
            synchronized (checkpointer) {
                if (checkpointer[0] != null) {
                    closeQuietly(checkpointer[0]);
                }
            }
            if (writer != null) {
                try (Statement s = writer.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                } catch (SQLException ignored) {
                    // A reader in another process may hold the WAL; the next open checkpoints it.
                }
                closeQuietly(writer);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Closing on shutdown: nothing useful to do with a failure.
        }
    }
}
