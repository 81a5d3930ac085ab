package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.drive.DriveSettings;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.drive.Disks;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.pack.ManifestCodec;
import org.offlinecommons.pack.PackArchive;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * The USB drive pages over real HTTP, as a browser without JavaScript uses them: a stick (a
 * folder under a configured mount root) holding good and bad packs, plain form posts with the
 * token as a field, redirects to the page that follows the jobs.
 */
class DrivePagesTest {

    private static final String STARS_TITLE = "Stars <script>alert(\"x\")</script> & moons";
    private static final String HOLIDAY = "<img src=x onerror=alert(1)> holiday.zip";
    private static final String EVIL_REASON = "evil.zip: zip entry '../../etc/cron.d/evil': the path contains a '..'"
            + " segment";

    /** A fresh server for each test: the tests import and export. */
    @RegisterExtension
    final TestServer server = TestServer.secure().with(this::fill).drives(lib -> new Drives(lib,
            DriveSettings.of(lib.dataDir()).withMountRoots(List.of(lib.dataDir().getParent().resolve("media")))));

    /** A FAT32 stick with little room, on a server whose own disk is nearly full. */
    @RegisterExtension
    static final TestServer cramped = TestServer.secure().with((lib, dir) -> {
        new PackImporter(lib).importPack(AdminFixtures.versionedPack(dir.resolve("sources"), "atlas", "Atlas", 1,
                dir.resolve("atlas.zip")), ProgressListener.NONE);
        Path fatStick = Files.createDirectories(dir.resolve("media/KINGSTON"));
        AdminFixtures.versionedPack(dir.resolve("sources"), "comet", "Comets", 1, fatStick.resolve("comet.zip"));
    }).drives(lib -> new Drives(lib, DriveSettings.of(lib.dataDir())
            .withMountRoots(List.of(lib.dataDir().getParent().resolve("media"))),
            // FAT32's limit scaled down, so that a small pack stands for a 5 GB one; 60 KB free everywhere.
            path -> new Disks.Disk("vfat", 60_000, 8_000_000, 100_000), java.time.Clock.systemUTC()));

    @RegisterExtension
    static final TestServer bare = TestServer.secure().with((lib, dir) -> {
        new PackImporter(lib).importPack(AdminFixtures.versionedPack(dir.resolve("sources"), "atlas", "Atlas", 1,
                dir.resolve("atlas.zip")), ProgressListener.NONE);
        Files.createDirectories(dir.resolve("media"));
    }).drives(lib -> new Drives(lib, DriveSettings.of(lib.dataDir())
            .withMountRoots(List.of(lib.dataDir().getParent().resolve("media")))));

    Path tmp;
    Library library;
    JobRunner jobs;
    Http admin;
    Path stick;
    Path inbox;

    @BeforeEach
    void logIn() throws Exception {
        library = server.library();
        jobs = server.jobs();
        admin = server.admin();
    }

    void fill(Library library, Path dir) throws Exception {
        tmp = dir;
        PackImporter importer = new PackImporter(library);
        Path river = pack("river", "River life", 1, tmp.resolve("river.zip"));
        importer.importPack(river, ProgressListener.NONE);
        importer.importPack(pack("garden", "Garden", 1, tmp.resolve("garden-v1.zip")), ProgressListener.NONE);
        importer.importPack(pack("meadow", "Meadow", 2, tmp.resolve("meadow-v2.zip")), ProgressListener.NONE);

        stick = Files.createDirectories(tmp.resolve("media/STICK")).toRealPath();
        inbox = tmp.resolve("data/inbox");
        pack("stars", STARS_TITLE, 1, stick.resolve("stars.zip"));
        pack("garden", "Garden", 2, stick.resolve("packs/garden-v2.zip"));
        pack("meadow", "Meadow", 1, stick.resolve("meadow-v1.zip"));
        pack("comet", "Comets", 1, stick.resolve("comet.zip"));
        AdminFixtures.settled(Files.copy(river, stick.resolve("river.zip")));
        AdminFixtures.settled(Files.writeString(stick.resolve(HOLIDAY), "holiday photos, honest"));
        AdminFixtures.evilZip(stick.resolve("evil.zip"));
        AdminFixtures.settled(Files.copy(stick.resolve("comet.zip"), Files.createDirectories(inbox)
                .resolve("comet-copy.zip")));
    }

    @Test
    void everyPackOnTheDriveIsListedWithItsStateAndEveryReasonIsEscaped() throws Exception {
        HttpResponse<String> r = get(admin, "/admin/drives");
        assertThat(r.statusCode()).isEqualTo(200);
        Document page = Jsoup.parse(r.body());
        assertThat(page.select("main h2").eachText()).containsSubsequence("STICK", "Inbox folder");
        assertThat(page.select(".drive-facts").first().text()).startsWith(stick.toString());
        Map<String, Element> rows = rowsByFile(page);
        assertThat(rows).containsOnlyKeys("stars.zip", "garden-v2.zip", "meadow-v1.zip", "comet.zip", "river.zip",
                HOLIDAY, "evil.zip", "comet-copy.zip");

        assertRow(rows.get("stars.zip"), "New", true, "Not in the library yet.");
        assertThat(rows.get("stars.zip").selectFirst("strong").text()).isEqualTo(STARS_TITLE);
        assertThat(rows.get("stars.zip").selectFirst(".meta").text()).startsWith("stars · version 1 · ");
        assertRow(rows.get("garden-v2.zip"), "Update", true, "Replaces version 1 in the library.");
        assertRow(rows.get("comet.zip"), "New", true, "Not in the library yet.");
        assertRow(rows.get("river.zip"), "Installed", false, "Already in the library. Nothing to do.");
        assertRow(rows.get("meadow-v1.zip"), "Older", false,
                "The library has a newer version (2), so this one cannot be imported.");
        assertRow(rows.get("evil.zip"), "Cannot import", false, EVIL_REASON);
        assertThat(rows.get(HOLIDAY).selectFirst(".reason").text())
                .startsWith(HOLIDAY + ": is not a readable zip file");

        // Pack titles and file names are the stick's words: shown as text, never as markup.
        assertThat(r.body()).doesNotContain("<script>alert", "<img src=x").contains("&lt;img src=x onerror=alert(1)&gt; holiday.zip")
                .contains("Stars &lt;script&gt;alert(");
        assertThat(page.select("script")).allSatisfy(s -> assertThat(s.attr("src")).startsWith("/static/admin."));
        assertThat(page.select("input[name=path]")).as("only new packs and updates can be ticked").hasSize(4);
        assertThat(checkedFiles(page)).as("the same pack twice is ticked once")
                .containsExactlyInAnyOrder("stars.zip", "garden-v2.zip", "comet.zip");
        assertThat(rows.get("comet-copy.zip").selectFirst(".badge").text()).isEqualTo("New");
        assertThat(page.select(".reason")).hasSize(2);
        assertThat(page.selectFirst(".drive-head .meta").text())
                .isEqualTo("2 new · 1 update · 1 installed · 1 older · 2 cannot be imported");
        assertThat(page.selectFirst(".drive").select(".picks > li .badge").eachText()).as("what can be imported first")
                .startsWith("New", "Update", "New").endsWith("Cannot import", "Cannot import");
        assertThat(page.selectFirst("form.drive-form > .space").text()).startsWith("Free on this server: ")
                .contains("of which 67 MB always stays free", "All the new packs and updates here need ");
        assertThat(page.selectFirst("form.drive-form input[name=csrf]").val()).isEqualTo(admin.csrf);
    }

    @Test
    void aDamagedPackIsRefusedWithItsReasonAndTheLibraryStaysExactlyAsItWas() throws Exception {
        String before = LibrarySnapshot.of(library);
        int jobsBefore = jobs.recent().size();
        HttpResponse<String> r = admin.form("/admin/drives", "csrf", admin.csrf,
                "path", stick.resolve("comet.zip").toString(), "path", stick.resolve("evil.zip").toString());
        assertThat(r.statusCode()).isEqualTo(400);
        Document page = Jsoup.parse(r.body());
        assertThat(page.selectFirst("main .alert").text()).isEqualTo("This pack cannot be used: " + EVIL_REASON);
        assertThat(checkedFiles(page)).as("the admin's ticks stay").containsExactly("comet.zip");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        assertThat(jobs.recent()).hasSize(jobsBefore);

        HttpResponse<String> outside = admin.form("/admin/drives", "csrf", admin.csrf, "path", "/etc/passwd");
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(Jsoup.parse(outside.body()).selectFirst("main .alert").text())
                .isEqualTo("This was not found: /etc/passwd: is not on a drive or in the inbox");
        HttpResponse<String> none = admin.form("/admin/drives", "csrf", admin.csrf);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(none.body()).selectFirst("main .alert").text()).isEqualTo("Tick at least one pack to"
                + " import.");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        assertThat(jobs.recent()).hasSize(jobsBefore);
    }

    @Test
    void formsWithoutTheAdminsTokenOrFromAnotherSiteChangeNothing() throws Exception {
        String before = LibrarySnapshot.of(library);
        int jobsBefore = jobs.recent().size();
        String comet = stick.resolve("comet.zip").toString();
        assertThat(admin.form("/admin/drives", "path", comet).statusCode()).as("no token").isEqualTo(403);
        assertThat(admin.form("/admin/drives", "csrf", admin.csrf + "x", "path", comet).statusCode())
                .as("a wrong token").isEqualTo(403);
        HttpResponse<String> crossSite = admin.send(admin.formRequest("/admin/drives", "csrf", admin.csrf, "path", comet)
                .setHeader("Origin", "http://evil.example"));
        assertThat(crossSite.statusCode()).as("from another site").isEqualTo(403);
        Http stranger = server.http();
        assertThat(stranger.send(stranger.formRequest("/admin/drives", "csrf", admin.csrf, "path", comet)).statusCode())
                .as("no session").isEqualTo(401);
        assertThat(admin.form("/admin/export", "pack", "river", "target", stick.toString(), "zips", "on")
                .statusCode()).as("export without a token").isEqualTo(403);
        assertThat(get(stranger, "/admin/drives").statusCode()).as("the page itself needs the admin").isEqualTo(302);
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        assertThat(jobs.recent()).hasSize(jobsBefore);
        assertThat(stick.resolve("river-v1.zip")).doesNotExist();
    }

    @Test
    void theTickedPacksAreImportedOneJobEachAndThePageFollowsThemToTheEnd() throws Exception {
        HttpResponse<String> r = admin.form("/admin/drives", "csrf", admin.csrf,
                "path", stick.resolve("stars.zip").toString(), "path", stick.resolve("packs/garden-v2.zip").toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        Matcher m = Pattern.compile("/admin/drives\\?jobs=([0-9a-f]{16}),([0-9a-f]{16})").matcher(location);
        assertThat(m.matches()).as(location).isTrue();
        for (String id : List.of(m.group(1), m.group(2))) {
            JobStatus s = AdminFixtures.awaitJob(jobs, id);
            assertThat(s.state()).as(s.toString()).isEqualTo(JobState.SUCCEEDED);
        }
        assertThat(library.catalog().pack("stars").orElseThrow().title()).isEqualTo(STARS_TITLE);
        assertThat(library.catalog().pack("garden").orElseThrow().version()).isEqualTo(2);
        assertThat(library.catalog().pack("comet")).as("not ticked, not imported").isEmpty();

        Document page = Jsoup.parse(get(admin, location).body());
        Element progress = page.getElementById("progress");
        assertThat(progress.attr("data-live")).isEqualTo("done");
        assertThat(progress.select(".job .state").eachText()).containsExactly("Done", "Done");
        assertThat(progress.select("progress").eachAttr("value")).containsExactly("100", "100");
        assertThat(progress.select(".job-message").eachText()).anyMatch(t -> t.startsWith("Installed “Stars")
                && t.endsWith("(stars version 1)"));
        assertThat(progress.selectFirst(".notice").text()).isEqualTo("All done: the packs are in the library.");
        assertThat(page.select("noscript")).as("nothing left to follow").isEmpty();
        Map<String, Element> rows = rowsByFile(page);
        assertRow(rows.get("stars.zip"), "Installed", false, "Already in the library. Nothing to do.");
        assertRow(rows.get("garden-v2.zip"), "Installed", false, "Already in the library. Nothing to do.");
        assertThat(checkedFiles(page)).containsExactly("comet.zip");
        assertThat(get(admin, "/admin").body()).contains("import from drive", "stars.zip");
    }

    @Test
    void theChosenPacksAreExportedAsCheckedZipsAndTheResultListsEachFile() throws Exception {
        // The stick's new pack and update in the library, as after an import: this test stands alone.
        PackImporter importer = new PackImporter(library);
        importer.importPack(stick.resolve("stars.zip"), ProgressListener.NONE);
        importer.importPack(stick.resolve("packs/garden-v2.zip"), ProgressListener.NONE);
        Document form = Jsoup.parse(get(admin, "/admin/export").body());
        assertThat(form.select("input[name=pack]").eachAttr("value")).contains("garden", "meadow", "river", "stars");
        Element target = form.selectFirst("input[name=target]");
        assertThat(target.val()).isEqualTo(stick.toString());
        assertThat(target.hasAttr("checked")).as("the only drive is chosen for the admin").isTrue();
        assertThat(target.parent().text()).contains("STICK", "free of");
        assertThat(form.select("input[name=zips]").hasAttr("checked")).isTrue();
        assertThat(form.select(".reason")).as("no pack too big for this drive").isEmpty();
        // The sentence the page's script keeps up to date as packs are ticked (AdminBrowserIT ticks).
        assertThat(form.selectFirst("#export-room").text()).isEqualTo("No pack is ticked yet.");
        assertThat(form.select("input[name=pack]").eachAttr("data-bytes")).allMatch(b -> b.matches("[1-9][0-9]*"));
        assertThat(target.attr("data-free")).matches("[1-9][0-9]*");

        Path folder = stick.resolve("for-the-next-school");
        HttpResponse<String> r = admin.form("/admin/export", "csrf", admin.csrf, "pack", "garden", "pack",
                "river", "target", stick.toString(), "folder", folder.toString(), "zips", "on");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/admin/export\\?jobs=[0-9a-f]{16}");
        JobStatus s = AdminFixtures.awaitJob(jobs, location.substring(location.indexOf('=') + 1));
        assertThat(s.state()).as(s.toString()).isEqualTo(JobState.SUCCEEDED);
        for (String id : List.of("garden", "river")) {
            long version = library.catalog().pack(id).orElseThrow().version();
            try (PackArchive zip = PackArchive.open(folder.resolve(id + "-v" + version + ".zip"))) {
                assertThat(ManifestCodec.digest(zip.manifest()))
                        .isEqualTo(library.catalog().pack(id).orElseThrow().digest());
            }
        }
        Document done = Jsoup.parse(get(admin, location).body());
        assertThat(done.select("#progress .job .state").eachText()).containsExactly("Done");
        assertThat(done.select("#progress .written li").eachText()).containsExactly(
                "garden-v2.zip " + size(folder.resolve("garden-v2.zip")) + " · written, read back and checked",
                "river-v1.zip " + size(folder.resolve("river-v1.zip")) + " · written, read back and checked");
        assertThat(done.selectFirst("#progress .notice").text()).startsWith("Done. Eject the drive safely");

        HttpResponse<String> mirror = admin.form("/admin/export", "csrf", admin.csrf, "pack", "river",
                "target", stick.toString(), "mirror", "on");
        assertThat(mirror.statusCode()).as(mirror.body()).isEqualTo(303);
        String mirrorPage = mirror.headers().firstValue("Location").orElseThrow();
        AdminFixtures.awaitJob(jobs, mirrorPage.substring(mirrorPage.indexOf('=') + 1));
        assertThat(stick.resolve("sync/v1/catalog.json")).isRegularFile();
        assertThat(Jsoup.parse(get(admin, mirrorPage).body()).select("#progress .written li").eachText())
                .singleElement().asString().startsWith("sync/v1/ mirror tree of 1 pack · ");
    }

    @Test
    void anExportFormMissingAChoiceSaysWhichAndKeepsTheRest() throws Exception {
        HttpResponse<String> noPack = admin.form("/admin/export", "csrf", admin.csrf, "target", stick.toString(),
                "zips", "on");
        assertThat(noPack.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(noPack.body()).selectFirst("main .alert").text())
                .isEqualTo("Tick at least one pack to export.");
        HttpResponse<String> nothing = admin.form("/admin/export", "csrf", admin.csrf, "pack", "river",
                "target", stick.toString());
        assertThat(nothing.statusCode()).isEqualTo(400);
        Document page = Jsoup.parse(nothing.body());
        assertThat(page.selectFirst("main .alert").text()).isEqualTo("Tick \u201cPack zips\u201d, \u201cMirror"
                + " tree\u201d, or both.");
        assertThat(page.select("input[name=pack][checked]").eachAttr("value")).containsExactly("river");
        HttpResponse<String> elsewhere = admin.form("/admin/export", "csrf", admin.csrf, "pack", "river",
                "folder", tmp.resolve("data").toString(), "zips", "on");
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(Jsoup.parse(elsewhere.body()).selectFirst("main .alert").text())
                .isEqualTo("This was not found: " + tmp.resolve("data") + ": is not a drive or a folder on one");
        assertThat(Jsoup.parse(elsewhere.body()).selectFirst("#folder").val()).isEqualTo(tmp.resolve("data").toString());
    }

    @Test
    void aSmallFatDriveAndAFullServerAreExplainedBeforeAndRefusedWhenAsked() throws Exception {
        Library cramped = DrivePagesTest.cramped.library();
        Path fatStick = DrivePagesTest.cramped.dir().resolve("media/KINGSTON").toRealPath();
        JobRunner crampedJobs = DrivePagesTest.cramped.jobs();
        Http c = DrivePagesTest.cramped.admin();
        Document page = Jsoup.parse(get(c, "/admin/drives").body());
        assertThat(page.selectFirst("form.drive-form > .alert").text()).startsWith("Not everything fits: the"
                + " new packs and updates here need ").contains("but only 60 KB is free");
        Element comet = rowsByFile(page).get("comet.zip");
        assertThat(comet.selectFirst(".reason").text()).startsWith("Too big for the free space on this server");
        assertThat(comet.selectFirst("input").hasAttr("checked")).as("not ticked for the admin").isFalse();
        assertThat(page.selectFirst(".drive-facts").text()).endsWith("FAT32 · 60 KB free of 8.0 MB");

        String before = LibrarySnapshot.of(cramped);
        HttpResponse<String> refused = c.form("/admin/drives", "csrf", c.csrf, "path",
                fatStick.resolve("comet.zip").toString());
        assertThat(refused.statusCode()).isEqualTo(507);
        assertThat(Jsoup.parse(refused.body()).selectFirst("main .alert").text()).startsWith("This does not fit: comet.zip: needs")
                .contains("of free disk space (the packs with working room plus a reserve of 67 MB), but only 60 KB is free");
        assertThat(LibrarySnapshot.of(cramped)).isEqualTo(before);

        Document export = Jsoup.parse(get(c, "/admin/export").body());
        assertThat(export.selectFirst(".picks .reason").text()).isEqualTo("Too big for KINGSTON: that drive"
                + " uses FAT32, which cannot hold a file of 4 GiB or more.");
        assertThat(export.selectFirst("fieldset .alert").text()).startsWith("FAT32 drives");
        HttpResponse<String> tooBig = c.form("/admin/export", "csrf", c.csrf, "pack", "atlas",
                "target", fatStick.toString(), "zips", "on");
        assertThat(tooBig.statusCode()).isEqualTo(507);
        assertThat(Jsoup.parse(tooBig.body()).selectFirst("main .alert").text()).startsWith("This does not fit: "
                + fatStick + ": pack 'atlas' is ").contains("FAT32", "Reformat the drive as exFAT", "mirror tree");
        Element room = Jsoup.parse(tooBig.body()).selectFirst("#export-room");
        assertThat(room.text()).startsWith("Not enough room: the ticked packs need about ")
                .contains("but KINGSTON has only 60 KB free");
        assertThat(room.hasClass("alert")).isTrue();
        assertThat(AdminFixtures.filesIn(fatStick)).extracting(p -> p.getFileName().toString())
                .containsExactly("comet.zip");
        assertThat(crampedJobs.recent()).isEmpty();
    }

    @Test
    void withNoDriveAndAnEmptyInboxThePagesSayWhereToPutPacks() throws Exception {
        Path dir = bare.dir();
        Http c = bare.admin();
        Document page = Jsoup.parse(get(c, "/admin/drives").body());
        Element empty = page.selectFirst(".drive-empty");
        assertThat(empty.selectFirst("h2").text()).isEqualTo("No drive found");
        assertThat(empty.text()).contains("Plug in a USB stick", "copy pack zips into the inbox folder on the"
                + " server: " + dir.resolve("data/inbox").toAbsolutePath(), "USB drives are looked for in: "
                + dir.resolve("media"));
        assertThat(page.select("form.drive-form")).isEmpty();
        Document export = Jsoup.parse(get(c, "/admin/export").body());
        assertThat(export.selectFirst("fieldset .empty").text()).startsWith("No USB drive found.");
        assertThat(export.select("input[name=pack]").eachAttr("value")).containsExactly("atlas");
    }

    // --- Helpers

    Path pack(String id, String title, long version, Path zip) throws IOException {
        return AdminFixtures.versionedPack(tmp.resolve("sources"), id, title, version, zip);
    }

    static HttpResponse<String> get(Http c, String path) throws Exception {
        return c.get(path, "Accept", "text/html");
    }


    /**
     * Each pack row on the import page, by the zip's file name: the end of a readable pack's
     * facts line, or the title of one that could not be read.
     */
    static Map<String, Element> rowsByFile(Document page) {
        Map<String, Element> rows = new LinkedHashMap<>();
        for (Element li : page.select(".drive .picks > li")) {
            String facts = li.selectFirst(".meta").text();
            rows.put(facts.contains(" · ") ? facts.substring(facts.lastIndexOf(" · ") + 3)
                    : li.selectFirst("strong").text(), li);
        }
        return rows;
    }

    static List<String> checkedFiles(Document page) {
        return page.select("input[name=path][checked]").eachAttr("value").stream()
                .map(p -> Path.of(p).getFileName().toString()).toList();
    }

    /** A row's state, detail, and whether it can be ticked; one that can is ticked for the admin. */
    static void assertRow(Element row, String state, boolean tickable, String detail) {
        assertThat(row.selectFirst(".badge").text()).isEqualTo(state);
        assertThat(row.select("input[name=path]")).hasSize(tickable ? 1 : 0);
        Element d = row.selectFirst(".reason") != null ? row.selectFirst(".reason") : row.selectFirst(".pick-detail");
        assertThat(d.text()).isEqualTo(detail);
        if (tickable) {
            assertThat(row.selectFirst("input").hasAttr("checked")).as("new and newer are ticked for the admin")
                    .isTrue();
        }
    }

    static String size(Path file) throws IOException {
        return org.offlinecommons.pack.Sizes.human(Files.size(file));
    }
}
