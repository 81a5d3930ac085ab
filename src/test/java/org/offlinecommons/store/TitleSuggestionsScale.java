package org.offlinecommons.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How long suggestions take over a pack of a million titles (docs/performance.md): run by hand,
 * {@code java -cp ... org.offlinecommons.store.TitleSuggestionsScale [folder] [titles]}. Titles
 * are made of Zipf-distributed made-up words, 1 to 6 per title, like an encyclopaedia's.
 */
public final class TitleSuggestionsScale {

    private static final String[] SYLLABLES = {"pho", "to", "syn", "the", "sis", "ga", "la", "xy", "ma", "ri",
            "an", "de", "ter", "con", "pro", "ka", "lo", "mi", "ne", "sta", "tion", "al", "ic", "um", "ber",
            "wen", "dor", "fi", "gu", "ho", "in", "ja", "ku", "ly", "mo", "nu", "ol", "pa", "qui", "ru"};

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("oc-suggest-scale-");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Database db = Database.open(dir, 4);
        boolean fresh = db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM item")) {
                return rs.getInt(1) == 0;
            }
        });
        if (fresh) {
            fill(db, count);
        }
        SearchGate gate = SearchGate.forReaders(db.readerCount());
        List<String> questions = List.of("ph", "pho", "phot", "photo", "the", "the sy", "ga la", "ma", "mari",
                "con", "zzz", "a", "de ter", "prot", "the s", "a the");
        int runs = 21;
        for (String q : questions) {
            long[] all = new long[runs];
            long[] inPack = new long[runs];
            List<TitleSuggestions.Suggestion> s = List.of();
            for (int r = 0; r < runs; r++) {
                // A fresh cache each time: measure the query, not the cache.
                TitleSuggestions suggestions = new TitleSuggestions(db, gate);
                long t0 = System.nanoTime();
                s = suggestions.suggest(q, null, 8);
                long t1 = System.nanoTime();
                suggestions.suggest(q, "big", 8);
                all[r] = (t1 - t0) / 1000;
                inPack[r] = (System.nanoTime() - t1) / 1000;
            }
            java.util.Arrays.sort(all);
            java.util.Arrays.sort(inPack);
            System.out.printf("%-8s min %6d us median %6d us  (one pack: min %6d median %6d)  %s%n", q, all[0],
                    all[runs / 2], inPack[0], inPack[runs / 2], s.stream().map(x -> x.item().title()).limit(4).toList());
        }
        db.close();
    }

    private static void fill(Database db, int count) {
        SplittableRandom random = new SplittableRandom(7);
        String[] vocabulary = new String[50_000];
        for (int w = 0; w < vocabulary.length; w++) {
            StringBuilder word = new StringBuilder();
            int syllables = 1 + random.nextInt(4);
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            vocabulary[w] = word.toString();
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pack(id, version, title, description, language,"
                    + " license, authors, created, manifest, digest, total_size, file_count, item_count, installed_at)"
                    + " VALUES ('big', 1, 'Big', '', 'en', '', '', '', '{}', 'x', 0, 0, 0, 0)")) {
                ps.executeUpdate();
            }
            return null;
        });
        int batch = 50_000;
        for (int from = 0; from < count; from += batch) {
            int first = from;
            db.write(c -> {
                try (PreparedStatement item = c.prepareStatement("INSERT INTO item(id, pack_id, position, path, title, kind)"
                        + " VALUES (?, 'big', ?, ?, ?, 'html')");
                     PreparedStatement fts = c.prepareStatement("INSERT INTO search(rowid, title, body) VALUES (?, ?, '')")) {
                    for (int i = first; i < Math.min(count, first + batch); i++) {
                        int words = 1 + random.nextInt(6);
                        List<String> title = new ArrayList<>();
                        for (int w = 0; w < words; w++) {
                            // Zipf-like: small indexes far more often.
                            double u = random.nextDouble();
                            title.add(vocabulary[(int) (Math.pow(u, 3) * vocabulary.length)]);
                        }
                        String t = String.join(" ", title);
                        t = Character.toUpperCase(t.charAt(0)) + t.substring(1);
                        item.setLong(1, i + 1);
                        item.setInt(2, i);
                        item.setString(3, "A/" + i);
                        item.setString(4, t);
                        item.addBatch();
                        fts.setLong(1, i + 1);
                        fts.setString(2, t);
                        fts.addBatch();
                    }
                    item.executeBatch();
                    fts.executeBatch();
                }
                return null;
            });
        }
        System.out.println("filled " + count + " titles in " + dirOf(db));
    }

    private static Path dirOf(Database db) {
        return db.file().getParent();
    }
}
