package org.offlinecommons.pack;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts path strings (no line ends in them) in {@link FileList#compare} order in bounded
 * memory: paths gather in memory up to a budget, are sorted and written to a temporary run file,
 * and the runs are merged one line each at the end. A folder of a million files sorts in a few
 * MB of heap.
 */
final class ExternalSort implements AutoCloseable {

    /** Characters held before a run is written: about 16 MB of heap. */
    private static final long RUN_CHARS = 4L << 20;

    private final Path tmpDir;
    private final List<String> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<BufferedReader> open = new ArrayList<>();
    private long chars;

    ExternalSort(Path tmpDir) {
        this.tmpDir = tmpDir;
    }

    void add(String line) throws IOException {
        buffer.add(line);
        chars += line.length() + 16;
        if (chars >= RUN_CHARS) {
            spill();
        }
    }

    private void spill() throws IOException {
        buffer.sort(FileList::compare);
        Path run = Files.createTempFile(tmpDir, ".sort-", ".run");
        runs.add(run);
        try (BufferedWriter w = Files.newBufferedWriter(run, StandardCharsets.UTF_8)) {
            for (String s : buffer) {
                w.write(s);
                w.write('\n');
            }
        }
        buffer.clear();
        chars = 0;
    }

    /** The lines in order; call once, after the last {@link #add}. */
    Iterable<String> sorted() throws IOException {
        if (runs.isEmpty()) {
            buffer.sort(FileList::compare);
            return List.copyOf(buffer);
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        record Head(String line, BufferedReader from) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> FileList.compare(a.line(), b.line()));
        for (Path run : runs) {
            BufferedReader r = Files.newBufferedReader(run, StandardCharsets.UTF_8);
            open.add(r);
            String first = r.readLine();
            if (first != null) {
                heads.add(new Head(first, r));
            }
        }
        return () -> new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public String next() {
                Head h = heads.poll();
                try {
                    String following = h.from().readLine();
                    if (following != null) {
                        heads.add(new Head(following, h.from()));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return h.line();
            }
        };
    }

    @Override
    public void close() throws IOException {
        for (BufferedReader r : open) {
            r.close();
        }
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
    }
}
