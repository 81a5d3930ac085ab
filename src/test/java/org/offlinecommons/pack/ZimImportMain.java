package org.offlinecommons.pack;

import java.nio.file.Path;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/** Imports {@code args[1]} into the library in {@code args[0]} and prints what it did: run in a JVM with a small heap. */
public final class ZimImportMain {

    private ZimImportMain() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        try (Library library = Library.open(Path.of(args[0]))) {
            ImportResult r = new PackImporter(library).importPack(Path.of(args[1]), ProgressListener.NONE);
            long millis = (System.nanoTime() - start) / 1_000_000;
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.printf("pack=%s files=%d items=%d ms=%d maxHeap=%d heapAfterGc=%d%n", r.packId(),
                    library.catalog().pack(r.packId()).orElseThrow().fileCount(),
                    library.catalog().pack(r.packId()).orElseThrow().itemCount(), millis, rt.maxMemory(),
                    rt.totalMemory() - rt.freeMemory());
        }
    }
}
