package org.offlinecommons.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pack of 300,000 tiny files through the packaged jar, every JVM under -Xmx128m: pack (format
 * 2), import, export byte for byte, verify, serve, and sync to a second library that exports the
 * same bytes. Memory must not grow with the number of files for any of them to finish.
 */
// Tens of minutes on 2 cores (docs/performance.md, "Format 2"): run on demand with
// ./scripts/test -Dscale.tests=true, beside scripts/bench --scale, not in every suite run.
@EnabledIfSystemProperty(named = "scale.tests", matches = "true")
class ScaleIT {

    static final int FILES = 300_000;
    static final List<String> SMALL_HEAP = List.of("-Xmx128m");

    @TempDir
    Path tmp;

    record Run(int code, String out) {
    }

    static Run run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("scale-out", ".txt");
        try {
            Process p = new ProcessBuilder(JarProcess.command(SMALL_HEAP, args)).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) { // a busy 2-core box is several times slower
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", args));
            }
            return new Run(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void threeHundredThousandFilesPackImportExportVerifyAndSyncUnder128Megabytes() throws Exception {
        Path site = tmp.resolve("site");
        // Mostly tiny data files (the file list is what is at stake), with some pages to index.
        for (int d = 0; d < 300; d++) {
            Path dir = Files.createDirectories(site.resolve("part-" + d));
            for (int i = 0; i < FILES / 300; i++) {
                String name = i % 100 == 0 ? "page-" + i + ".html" : "f" + i + ".dat";
                String text = i % 100 == 0 ? "<title>Page " + d + "-" + i + "</title><p>w" + d + "x" + i + "</p>"
                        : d + ":" + i;
                Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
            }
        }
        Path zip = tmp.resolve("scale.zip");
        Run pack = run("pack", site.toString(), "--id", "scale", "--title", "Scale", "--out", zip.toString());
        assertThat(pack.code()).as(pack.out()).isZero();
        assertThat(pack.out()).contains("300000 files");

        Path data = tmp.resolve("data");
        Run imported = run("import", zip.toString(), "--data", data.toString());
        assertThat(imported.code()).as(imported.out()).isZero();

        Path exported = tmp.resolve("exported.zip");
        Run export = run("export", "scale", "--out", exported.toString(), "--data", data.toString());
        assertThat(export.code()).as(export.out()).isZero();
        assertThat(Files.mismatch(exported, zip)).isEqualTo(-1);

        Run verify = run("verify", "--data", data.toString());
        assertThat(verify.code()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("300000 files");

        Process server = JarProcess.start(SMALL_HEAP, "serve", "--data", data.toString(), "--port", "0", "--bind",
                "127.0.0.1", "--packs", Files.createDirectories(tmp.resolve("inbox")).toString(), "--no-discovery");
        try {
            String url = JarProcess.awaitUrl(server);
            Path second = tmp.resolve("second");
            Run sync = run("sync", url, "--data", second.toString());
            assertThat(sync.code()).as(sync.out()).isZero();
            Path synced = tmp.resolve("synced.zip");
            Run export2 = run("export", "scale", "--out", synced.toString(), "--data", second.toString());
            assertThat(export2.code()).as(export2.out()).isZero();
            assertThat(Files.mismatch(synced, zip)).isEqualTo(-1);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
