package org.offlinecommons.pack;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The case: a 300 MB pack damaged in its large file, refused three times. */
class RefusedImportIT {

    @TempDir
    Path tmp;

    @Test
    void aRefused300MbImportLeavesTheLibraryWithin5Mb() throws IOException {
        RefusedImportTest.refusedImportLeavesTheLibraryItsSize(tmp, 300L << 20);
    }
}
