package org.offlinecommons.app;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.OptionalLong;
import javax.imageio.ImageIO;
import org.eclipse.jetty.http.MimeTypes;
import org.offlinecommons.pack.FileList;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.zim.ZimBook;
import org.offlinecommons.zim.ZimItem;
import org.offlinecommons.zim.ZimMetadata;
import org.offlinecommons.zim.ZimWriter;
import org.offlinecommons.zim.ZimWriterInput;

/**
 * Installed packs as ZIM files ({@link ZimWriter}): every file of the pack in the {@code C} namespace
 * under its pack path, titled by the pack's items, the entry page as main page, the pack's metadata
 * mapped to ZIM metadata (docs/zim.md, "From a pack to a ZIM").
 *
 * <p>{@link ZimWriter} asks for the entries by path and by title and for an entry's rank by path,
 * many times. The library orders files by path only, so each pack version gets a small SQLite file
 * of its entries (path, title, rank) under the download cache, built once by streaming the file
 * list and the items; the ZIM's MD5 is kept beside it. Layouts of the last few versions asked for
 * stay in memory (each a few kilobytes of resume points).
 */
final class PackZims {

    private static final int LAYOUTS_KEPT = 8;
    private static final int PAGE = 2000;
    private static final MimeTypes MIME = new MimeTypes();

    private final Library library;
    private final Path cacheDir;
    /** A laid-out ZIM and the entries it reads, whose connections close when it leaves the cache. */
    private record Layout(ZimWriter writer, Entries entries) {
    }

    private final Map<String, Layout> layouts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Layout> eldest) {
            if (size() > LAYOUTS_KEPT) {
                eldest.getValue().entries().closeIdle();
                return true;
            }
            return false;
        }
    };

    PackZims(Library library, Path cacheDir) {
        this.library = library;
        this.cacheDir = cacheDir;
    }

    PackDownloads.Download download(PackRecord pack, ProgressListener progress) throws IOException {
        ZimWriter writer = layout(pack);
        Path md5File = file(pack, ".md5");
        if (writer.checksum().isEmpty() && Files.exists(md5File)) {
            writer.useChecksum(HexFormat.of().parseHex(Files.readString(md5File).strip()));
        }
        PackDownloads.Bytes bytes = (from, to, out) -> write(writer, md5File, from, to, out, progress);
        return new PackDownloads.Download(pack.id(), pack.version(), PackDownloads.Kind.ZIM,
                PackDownloads.fileName(pack, PackDownloads.Kind.ZIM), writer.length(),
                PackDownloads.etag(pack, PackDownloads.zimForm()), bytes);
    }

    /** The ZIM's length if this pack version was laid out before: in memory, else as noted on disk. */
    OptionalLong knownLength(PackRecord pack) {
        synchronized (layouts) {
            Layout l = layouts.get(pack.digest());
            if (l != null) {
                return OptionalLong.of(l.writer().length());
            }
        }
        try {
            Path noted = file(pack, ".length");
            return Files.exists(noted) ? OptionalLong.of(Long.parseLong(Files.readString(noted).strip()))
                    : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private void write(ZimWriter writer, Path md5File, long from, long to, OutputStream out,
                       ProgressListener progress) throws IOException {
        if (to > writer.checksumPosition() && writer.checksum().isEmpty()) {
            byte[] md5;
            if (from == 0 && to == writer.length()) {
                md5 = writer.writeAll(out); // the whole file: the checksum is computed on the way
            } else {
                md5 = writer.computeChecksum();
            }
            saveChecksum(md5File, md5);
            if (from == 0 && to == writer.length()) {
                return;
            }
            writer.useChecksum(md5);
        }
        writer.write(from, to, out);
    }

    private static void saveChecksum(Path md5File, byte[] md5) throws IOException {
        Path tmp = Files.createTempFile(md5File.getParent(), "." + md5File.getFileName(), ".part");
        Files.writeString(tmp, HexFormat.of().formatHex(md5) + "\n");
        Files.move(tmp, md5File, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ZimWriter layout(PackRecord pack) throws IOException {
        synchronized (layouts) {
            Layout l = layouts.get(pack.digest());
            if (l != null) {
                return l.writer();
            }
        }
        Path db = file(pack, ".entries2.db");
        if (!Files.exists(db)) {
            buildEntries(pack, db);
        }
        Entries entries = new Entries(pack, db);
        ZimWriter w = ZimWriter.layOut(entries, book(pack, db));
        // Pages list many packs: they read the length from here rather than lay every pack out again.
        Path noted = file(pack, ".length");
        if (!Files.exists(noted)) {
            Path tmp = Files.createTempFile(noted.getParent(), "." + noted.getFileName(), ".part");
            Files.writeString(tmp, w.length() + "\n");
            Files.move(tmp, noted, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        synchronized (layouts) {
            layouts.put(pack.digest(), new Layout(w, entries));
        }
        return w;
    }

    private Path file(PackRecord pack, String suffix) throws IOException {
        Path dir = cacheDir.resolve(pack.id());
        Files.createDirectories(dir);
        return dir.resolve(pack.digest() + "." + PackDownloads.zimForm() + suffix);
    }

    /** Streams the pack's file list and items into a new entries database, then renames it into place. */
    private void buildEntries(PackRecord pack, Path db) throws IOException {
        Path tmp = db.resolveSibling("." + db.getFileName() + ".part");
        Files.deleteIfExists(tmp);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=OFF");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("CREATE TABLE staged (path TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', mime TEXT NOT NULL,"
                        + " size INTEGER NOT NULL, sha256 TEXT NOT NULL, target TEXT NOT NULL DEFAULT '')");
                s.execute("CREATE TABLE entry (rank INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, title TEXT NOT NULL"
                        + " DEFAULT '', mime TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
                        + " target TEXT NOT NULL DEFAULT '')");
            }
            c.setAutoCommit(false);
            String after = null;
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO staged VALUES (?, '', ?, ?, ?, ?)")) {
                while (true) {
                    List<Catalog.ListedFile> page = library.catalog().filesPage(pack.id(), pack.digest(), after, PAGE)
                            .orElseThrow(() -> new IOException("pack '" + pack.id() + "' was removed or replaced"
                                    + " while its ZIM was being prepared; try again"));
                    for (Catalog.ListedFile f : page) {
                        after = f.path();
                        if (f.size() == 0) {
                            continue; // zimcheck counts an empty entry as an error, and zimwriterfs leaves them out
                        }
                        boolean redirect = FileList.REDIRECT_MEDIA_TYPE.equals(f.mediaType());
                        ins.setString(1, f.path());
                        ins.setString(2, redirect ? "" : mediaType(f.path(), f.mediaType()));
                        ins.setLong(3, redirect ? 0 : f.size());
                        ins.setString(4, f.sha256());
                        // A redirect file (from a ZIM) holds its target's pack path: a ZIM redirect again.
                        ins.setString(5, redirect ? redirectTarget(f) : "");
                        ins.addBatch();
                    }
                    ins.executeBatch();
                    if (page.size() < PAGE) {
                        break;
                    }
                }
            }
            try (PreparedStatement upd = c.prepareStatement(
                    "UPDATE staged SET title = ? WHERE path = ? AND title = ''")) {
                for (int offset = 0; ; offset += PAGE) {
                    List<Item> items = library.catalog().items(pack.id(), offset, PAGE);
                    for (Item it : items) {
                        upd.setString(1, it.title() == null ? "" : it.title().replace('\0', ' ').strip());
                        upd.setString(2, it.path());
                        upd.addBatch();
                    }
                    upd.executeBatch();
                    if (items.size() < PAGE) {
                        break;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                // Ranks are positions in path order; a redirect whose target was left out goes too.
                s.execute("INSERT INTO entry SELECT ROW_NUMBER() OVER (ORDER BY path) - 1, path, title, mime, size,"
                        + " sha256, target FROM staged WHERE target = '' OR target IN (SELECT path FROM staged"
                        + " WHERE target = '') ORDER BY path");
                s.execute("DROP TABLE staged");
                // Titles sort as stored in the ZIM: the path when there is none.
                s.execute("CREATE INDEX entry_by_title ON entry (CASE WHEN title = '' THEN path ELSE title END, path)");
            }
            c.commit();
        } catch (SQLException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + tmp + ": " + e.getMessage(), e);
        }
        Files.move(tmp, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // The files of the pack's older versions are of no more use.
        try (var old = Files.newDirectoryStream(db.getParent(), "*.zim-v*")) {
            for (Path p : old) {
                if (!p.getFileName().toString().startsWith(pack.digest() + ".")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private String redirectTarget(Catalog.ListedFile f) throws IOException {
        if (f.size() > 4096) {
            throw new IOException("redirect file '" + f.path() + "' is " + f.size() + " bytes, too long for a path");
        }
        FileRecipe recipe = library.chunks().recipe(f.sha256())
                .orElseThrow(() -> new IOException("the content of '" + f.path() + "' is missing; run verify"));
        try (InputStream in = library.chunks().open(recipe)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        }
    }

    /** The pack's own icon (a ZIM's illustration, imported) when it is a PNG, else one drawn from its id. */
    private byte[] illustration(PackRecord pack) throws IOException {
        var icon = library.catalog().file(pack.id(), PackManifest.ICON_PATH);
        if (icon.isPresent() && icon.get().size() > 8 && icon.get().size() <= 256 * 1024) {
            FileRecipe recipe = library.chunks().recipe(icon.get().sha256()).orElse(null);
            if (recipe != null) {
                try (InputStream in = library.chunks().open(recipe)) {
                    byte[] png = in.readAllBytes();
                    if ((png[0] & 0xFF) == 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G') {
                        return png;
                    }
                }
            }
        }
        return illustration(pack.id());
    }

    static String mediaType(String path, String listed) {
        if (listed != null && !listed.isBlank()) {
            return listed;
        }
        String type = MIME.getMimeByExtension(path);
        if (type == null) {
            String lower = path.toLowerCase(Locale.ROOT);
            type = lower.endsWith(".md") || lower.endsWith(".markdown") ? "text/markdown" : "application/octet-stream";
        }
        return type.split(";", 2)[0].strip();
    }

    /** The pack's entries, read from its entries database; a connection per cursor or call. */
    private final class Entries implements ZimWriterInput {
        private final PackRecord pack;
        private final Path db;

        Entries(PackRecord pack, Path db) {
            this.pack = pack;
            this.db = db;
        }

        @Override
        public Cursor byPath(String fromPath) throws IOException {
            return cursor("SELECT path, title, mime, size, target FROM entry WHERE path >= ? ORDER BY path", fromPath);
        }

        @Override
        public Cursor byTitle(long skip) throws IOException {
            return cursor("SELECT path, title, mime, size, target FROM entry ORDER BY CASE WHEN title = '' THEN path ELSE title"
                    + " END, path LIMIT -1 OFFSET ?", skip);
        }

        @Override
        public long indexOf(String path) throws IOException {
            return lookup(path, true);
        }

        @Override
        public InputStream open(ZimItem item) throws IOException {
            String sha256 = (String) lookupRow(item.path(), false);
            if (sha256 == null) {
                throw new IOException("'" + item.path() + "' is not in pack '" + pack.id() + "'");
            }
            FileRecipe recipe = library.chunks().recipe(sha256)
                    .orElseThrow(() -> new IOException("the content of '" + item.path() + "' is missing; run verify"));
            return library.chunks().open(recipe);
        }

        private long lookup(String path, boolean rank) throws IOException {
            Object v = lookupRow(path, rank);
            return v == null ? -1 : ((Number) v).longValue();
        }

        /**
         * The rank or the SHA-256 of {@code path}, or null. ZimWriter asks for a rank per title pointer:
         * connections and their statements are kept in a small pool rather than opened per call.
         */
        private Object lookupRow(String path, boolean rank) throws IOException {
            Lookups l = idle.poll();
            try {
                if (l == null) {
                    l = new Lookups(connect());
                }
                PreparedStatement ps = rank ? l.rank : l.sha256;
                ps.setString(1, path);
                try (ResultSet rs = ps.executeQuery()) {
                    Object v = rs.next() ? rs.getObject(1) : null;
                    if (idle.size() < 4) {
                        idle.offer(l);
                        l = null;
                    }
                    return v;
                }
            } catch (SQLException e) {
                throw new IOException(db + ": " + e.getMessage(), e);
            } finally {
                if (l != null) {
                    l.close();
                }
            }
        }

        private final java.util.concurrent.ConcurrentLinkedQueue<Lookups> idle =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        void closeIdle() {
            Lookups l;
            while ((l = idle.poll()) != null) {
                l.close();
            }
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
        }

        private Cursor cursor(String sql, Object arg) throws IOException {
            try {
                Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql);
                ps.setObject(1, arg);
                ResultSet rs = ps.executeQuery();
                return new Cursor() {
                    @Override
                    public ZimItem next() throws IOException {
                        try {
                            if (!rs.next()) {
                                return null;
                            }
                            String target = rs.getString(5);
                            return target.isEmpty()
                                    ? ZimItem.content(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4))
                                    : ZimItem.redirect(rs.getString(1), rs.getString(2), target);
                        } catch (SQLException e) {
                            throw new IOException(db + ": " + e.getMessage(), e);
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        try {
                            c.close();
                        } catch (SQLException e) {
                            throw new IOException(db + ": " + e.getMessage(), e);
                        }
                    }
                };
            } catch (SQLException e) {
                throw new IOException(db + ": " + e.getMessage(), e);
            }
        }
    }

    /** A read-only connection to an entries database with its two lookups prepared. */
    private static final class Lookups {
        final Connection connection;
        final PreparedStatement rank;
        final PreparedStatement sha256;

        Lookups(Connection c) throws SQLException {
            connection = c;
            rank = c.prepareStatement("SELECT rank FROM entry WHERE path = ?");
            sha256 = c.prepareStatement("SELECT sha256 FROM entry WHERE path = ?");
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Read-only: nothing to lose.
            }
        }
    }

    /** The pack's metadata as the ZIM's (docs/zim.md); the UUID from the digest, so the bytes never vary. */
    private ZimBook book(PackRecord pack, Path db) throws IOException {
        String date = date(pack);
        String creator = pack.authors().isEmpty() ? "Unknown" : String.join(", ", pack.authors());
        ZimMetadata m = new ZimMetadata(pack.id(), clip(pack.title(), 30), clip(firstNonEmpty(pack.description(),
                pack.title()), 80), pack.description().length() > 80 ? clip(pack.description(), 4000) : "",
                iso639_3(pack.language()), creator, "Offline Commons", date, pack.license(), "offline-commons",
                "", "", "Offline Commons");
        byte[] uuid = HexFormat.of().parseHex(pack.digest().substring(0, 32));
        uuid[6] = (byte) ((uuid[6] & 0x0f) | 0x40);
        uuid[8] = (byte) ((uuid[8] & 0x3f) | 0x80);
        return new ZimBook(m, illustration(pack), mainPage(pack, db), uuid);
    }

    private String mainPage(PackRecord pack, Path db) throws IOException {
        if (pack.entry() != null) {
            return pack.entry();
        }
        List<Item> first = library.catalog().items(pack.id(), 0, 1);
        if (!first.isEmpty()) {
            return first.get(0).path();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT path FROM entry ORDER BY rank LIMIT 1")) {
            if (rs.next()) {
                return rs.getString(1);
            }
            throw new IOException("pack '" + pack.id() + "' has no files: there is nothing to write in a ZIM");
        } catch (SQLException e) {
            throw new IOException(db + ": " + e.getMessage(), e);
        }
    }

    private static String date(PackRecord pack) {
        String created = pack.created() == null ? "" : pack.created();
        if (created.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
            return created.substring(0, 10);
        }
        return LocalDate.ofInstant(Instant.ofEpochMilli(pack.installedAt()), ZoneOffset.UTC).toString();
    }

    /** BCP 47 to the ISO 639-3 code ZIM metadata wants ("en" to "eng"); "und" when unknown. */
    static String iso639_3(String bcp47) {
        String lang = Locale.forLanguageTag(bcp47 == null ? "" : bcp47).getLanguage();
        if (lang.isEmpty()) {
            return "und";
        }
        if (lang.length() == 3) {
            return lang;
        }
        try {
            return Locale.forLanguageTag(lang).getISO3Language();
        } catch (MissingResourceException e) {
            return "und";
        }
    }

    private static String firstNonEmpty(String a, String b) {
        return a == null || a.isBlank() ? b : a;
    }

    /** At most {@code max} characters (code points), as libzim's metadata checks count them. */
    private static String clip(String s, int max) {
        String t = s == null ? "" : s.strip();
        if (t.codePointCount(0, t.length()) <= max) {
            return t;
        }
        return t.substring(0, t.offsetByCodePoints(0, max - 1)).strip() + "…";
    }

    /** A 48x48 PNG in a colour derived from the pack id: packs carry no icon of their own yet. */
    static byte[] illustration(String packId) throws IOException {
        BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(Color.getHSBColor((packId.hashCode() & 0xffff) / 65536f, 0.55f, 0.65f));
        g.fillRect(4, 4, 40, 40);
        g.setColor(Color.WHITE);
        g.fillRect(14, 12, 20, 4);
        g.fillRect(14, 22, 20, 4);
        g.fillRect(14, 32, 12, 4);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
