package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.offlinecommons.pack.PackFixtures;

/**
 * The CLI as an admin uses it: real folders, zips and library files; exit codes and messages.
 * {@link #run} is how every test runs a command.
 */
public class CliTest {

    @TempDir
    Path tmp;

    public record Run(int code, String out, String err) {
    }

    public static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "pack", "import", "list", "export", "delete", "verify", "sync", "mirror",
            "drives", "backup", "restore"})
    void everyCommandHasHelp(String command) {
        Run r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: offline-commons " + command);
    }

    @Test
    void packImportListExportDeleteVerify() throws Exception {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        String data = tmp.resolve("data").toString();
        Path zip = tmp.resolve("garden.zip");

        Run pack = run("pack", site.toString(), "--id", "garden", "--title", "The Garden", "--version", "2",
                "--language", "en", "--license", "CC-BY-4.0", "--out", zip.toString());
        assertThat(pack.code()).as(pack.err()).isZero();
        assertThat(pack.out()).contains("pack 'garden' version 2 (format 2), 4 files");

        Run imported = run("import", zip.toString(), "--data", data);
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("garden.zip: imported 'garden' version 2");
        assertThat(run("import", zip.toString(), "--data", data).out()).contains("already installed; nothing to do");

        Run list = run("list", "--data", data);
        assertThat(list.out()).containsPattern("garden\\s+2\\s+en\\s+4\\s+.*The Garden");
        Path format1 = tmp.resolve("garden-1.zip");
        Run packed1 = run("pack", site.toString(), "--id", "garden", "--title", "The Garden", "--version", "2",
                "--language", "en", "--license", "CC-BY-4.0", "--format", "1", "--out", format1.toString());
        assertThat(packed1.out()).contains("pack 'garden' version 2, 4 files, 4 items");
        assertThat(run("pack", site.toString(), "--id", "x", "--title", "X", "--format", "3", "--out",
                tmp.resolve("x.zip").toString()).code()).isNotZero();

        Path exported = tmp.resolve("out.zip");
        assertThat(run("export", "garden", "--out", exported.toString(), "--data", data).code()).isZero();
        assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(zip));

        assertThat(run("verify", "--data", data).out()).startsWith("OK: 1 packs, 4 files");
        assertThat(run("delete", "garden", "--data", data).out()).contains("Deleted 'garden'");
        assertThat(run("list", "--data", data).out()).contains("The library is empty");
    }

    @Test
    void namesPrintedToTheTerminalAreEscaped() throws Exception {
        Path evil = tmp.resolve("a\u001b[2J\u001b]0;owned\u0007\u202e.zip");
        Files.writeString(evil, "this is not a zip");
        Run r = run("import", evil.toString(), "--data", tmp.resolve("data").toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(r.err()).doesNotContain("\u001b", "\u0007", "\u202e")
                .contains("a\\u001b[2J\\u001b]0;owned\\u0007\\u202e.zip: is not a readable zip file");
        Run delete = run("delete", "x\ny", "--data", tmp.resolve("data").toString());
        assertThat(delete.err()).contains("there is no pack 'x\\u000ay'").doesNotContain("\n" + "y'");
    }

    @Test
    void aBadPackFailsWithTheFileAndTheProblemAndOthersStillImport() throws Exception {
        Path notZip = tmp.resolve("holiday-photos.zip");
        Files.writeString(notZip, "this is not a zip");
        Path good = PackFixtures.build(PackFixtures.smallSite(tmp.resolve("site")), "garden", "Garden",
                tmp.resolve("garden.zip"));
        Run r = run("import", notZip.toString(), good.toString(), "--data", tmp.resolve("data").toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(r.err()).contains("holiday-photos.zip: is not a readable zip file");
        assertThat(r.out()).contains("imported 'garden'");
    }

    @Test
    void unknownPacksAreReportedNotCrashedOn() {
        String data = tmp.resolve("data").toString();
        Run delete = run("delete", "nope", "--data", data);
        assertThat(delete.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(delete.err()).contains("there is no pack 'nope'");
        Run export = run("export", "nope", "--out", tmp.resolve("x.zip").toString(), "--data", data);
        assertThat(export.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(export.err()).contains("pack 'nope' is not installed");
        assertThat(tmp.resolve("x.zip")).doesNotExist();
    }
}
