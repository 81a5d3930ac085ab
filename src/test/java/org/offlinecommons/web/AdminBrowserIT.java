package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.drive.DriveSettings;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin in a real browser (headless Chromium): logging in, uploading and deleting with
 * plain forms, and a hostile pack that tries to use the admin's session from inside the same
 * browser, after the admin has logged in, so there is a cookie to steal. One browser, one server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminBrowserIT {

    private static final Path SCREENSHOTS = HeadlessChromium.SCREENSHOTS;
    /** What a hostile pack's page tries, reporting each outcome into the page. */
    private static final String HOSTILE_PAGE = """
            <!doctype html><html lang="en"><meta charset="utf-8"><title>Fun quiz</title>
            <h1>Fun quiz</h1><pre id="out">not run</pre>
            <script>
            (async () => {
              const r = {ran: true};
              try { r.cookie = document.cookie; } catch (e) { r.cookieError = e.name; }
              try {
                const res = await fetch('/api/v1/packs/victim', {method: 'DELETE', credentials: 'include'});
                r.deleteStatus = res.status;
              } catch (e) { r.deleteError = String(e); }
              try {
                const res = await fetch('/api/v1/admin/session', {credentials: 'include'});
                r.sessionStatus = res.status; r.session = await res.text();
                const token = JSON.parse(r.session).csrfToken;
                const del = await fetch('/api/v1/packs/victim', {method: 'DELETE', credentials: 'include',
                    headers: {'X-CSRF-Token': token}});
                r.deleteWithTokenStatus = del.status;
              } catch (e) { r.sessionError = String(e); }
              try {
                const x = new XMLHttpRequest(); x.open('DELETE', '/api/v1/packs/victim', false); x.send();
                r.xhrStatus = x.status;
              } catch (e) { r.xhrError = String(e); }
              try { localStorage.setItem('k', 'v'); r.storage = 'ok'; } catch (e) { r.storageError = e.name; }
              try { r.parentCookie = window.parent.document.cookie; } catch (e) { r.parentError = e.name; }
              document.getElementById('out').textContent = JSON.stringify(r);
            })();
            </script>
            """;
    /** A pack page that posts the delete form by itself, as a page of another site would. */
    private static final String FORM_PAGE = """
            <!doctype html><html lang="en"><meta charset="utf-8"><title>Next lesson</title>
            <form id="f" method="post" action="/admin/packs/victim/delete"><input name="csrf" value="guessed"></form>
            <script>document.getElementById('f').submit();</script>
            """;

    static Path stick;

    /** The admin login on; a USB stick as a folder under a mount root of this server's own. */
    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, dir) -> {
        PackImporter importer = new PackImporter(library);
        importer.importPack(AdminFixtures.pack(dir, "victim", "Precious lessons", "index.html",
                "<title>Precious</title><p>Do not lose me.</p>", "notes.md", "# Notes\n\nSome notes.\n"),
                ProgressListener.NONE);
        importer.importPack(AdminFixtures.pack(dir, "hostile", "Fun quiz", "index.html", HOSTILE_PAGE,
                "next.html", FORM_PAGE), ProgressListener.NONE);
        stick = Files.createDirectories(dir.resolve("media/STICK")).toRealPath();
        AdminFixtures.versionedPack(dir.resolve("sources"), "planets", "Planets & moons", 1,
                stick.resolve("planets.zip"));
        AdminFixtures.versionedPack(dir.resolve("sources"), "oceans", "Oceans of the world", 2,
                stick.resolve("packs/oceans.zip"));
        AdminFixtures.evilZip(stick.resolve("evil.zip"));
    }).drives(library -> new Drives(library, DriveSettings.of(AdminBrowserIT.server.dir().resolve("data"))
            .withMountRoots(List.of(AdminBrowserIT.server.dir().resolve("media")))));

    @TempDir
    static Path tmp;
    static Library library;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        library = server.library();
        base = server.url();
        driver = HeadlessChromium.start(tmp.resolve("browser-profile"), LogType.BROWSER);
        wait = HeadlessChromium.waitOn(driver);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }


    @Test
    @Order(1)
    void theAdminLogsInWithTheFormAndGetsAnHttpOnlyStrictCookie() throws Exception {
        driver.get(base + "/admin/jobs");
        wait.until(d -> d.getCurrentUrl().contains("/admin/login"));
        shoot("admin-login");
        driver.findElement(By.id("password")).sendKeys("wrong password");
        driver.findElement(By.cssSelector("main form button")).click();
        wait.until(d -> !d.findElements(By.cssSelector("main .alert")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("main .alert")).getText()).contains("not right");

        driver.findElement(By.id("password")).sendKeys(AdminFixtures.PASSWORD);
        driver.findElement(By.cssSelector("main form button")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/jobs"));
        Cookie cookie = driver.manage().getCookieNamed("oc_admin");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(driver.findElement(By.cssSelector(".adminbar")).getText()).contains("Dashboard", "Jobs", "Log out");
        assertThat(driver.executeScript("return document.cookie")).as("not even our own pages' scripts").isEqualTo("");
    }

    @Test
    @Order(2)
    void aHostilePackCanNeitherStealTheCookieNorUseTheSession() throws Exception {
        assertThat(driver.manage().getCookieNamed("oc_admin")).as("logged in, so there is a cookie").isNotNull();
        driver.get(base + "/packs/hostile/index.html");
        wait.until(d -> !d.findElement(By.id("out")).getText().equals("not run"));
        JsonNode r = AdminFixtures.JSON.readTree(driver.findElement(By.id("out")).getText());
        assertThat(r.path("ran").asBoolean()).as("the pack's script ran").isTrue();
        assertThat(r.path("cookie").asText("")).doesNotContain("oc_admin");
        assertThat(r.has("cookie") ? r.path("cookie").asText() : r.path("cookieError").asText())
                .as("no cookie readable: %s", r).isIn("", "SecurityError");
        assertThat(r.has("deleteStatus")).as("the delete never reached the server: %s", r).isFalse();
        assertThat(r.has("sessionStatus")).as("the session (with its token) is out of reach: %s", r).isFalse();
        assertThat(r.has("deleteWithTokenStatus")).as("%s", r).isFalse();
        assertThat(r.has("xhrStatus") && r.path("xhrStatus").asInt() != 0).as("%s", r).isFalse();
        assertThat(r.path("storageError").asText()).as("no storage of our origin: %s", r).isEqualTo("SecurityError");
        assertThat(library.catalog().pack("victim")).isPresent();

        driver.get(base + "/packs/hostile/next.html");
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/packs/victim/delete"));
        assertThat(driver.getPageSource()).contains("another site or of a pack");
        assertThat(library.catalog().pack("victim")).as("the posted form was refused").isPresent();
        assertThat(driver.manage().getCookieNamed("oc_admin")).as("and the admin is still logged in").isNotNull();
    }

    @Test
    @Order(3)
    void thePackIsUploadedWithThePlainFormAndItsJobWatchedToTheEnd() throws Exception {
        Path zip = AdminFixtures.pack(tmp, "stars", "Night sky", "index.html", "<title>Stars</title>",
                "planets.md", "# Planets\n\nEight of them.\n");
        driver.get(base + "/admin");
        shoot("admin-dashboard");
        assertThat(driver.getPageSource()).doesNotContain("<script");
        driver.findElement(By.id("pack")).sendKeys(zip.toAbsolutePath().toString());
        driver.findElement(By.cssSelector("form[action='/admin/packs'] button")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/jobs"));
        wait.until(d -> {
            d.navigate().refresh();
            // The admin page's words (messages.properties), not the log's.
            return d.findElement(By.cssSelector("main")).getText().contains("Installed “Night sky”");
        });
        shoot("admin-jobs");
        assertThat(driver.findElement(By.cssSelector(".job .state")).getText()).isEqualTo("Done");
        assertThat(library.catalog().pack("stars")).isPresent();
    }

    @Test
    @Order(4)
    void deletingAsksFirstNamingThePack() throws Exception {
        driver.get(base + "/admin");
        driver.findElement(By.cssSelector("a[href='/admin/packs/victim/delete']")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/packs/victim/delete"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Delete \u201cPrecious lessons\u201d?");
        assertThat(driver.findElement(By.cssSelector(".facts")).getText()).contains("victim", "2 items");
        shoot("admin-delete");
        assertThat(library.catalog().pack("victim")).as("nothing happens before the confirmation").isPresent();
        driver.findElement(By.cssSelector("form.actions button.danger")).click();
        wait.until(d -> d.getCurrentUrl().contains("/admin?deleted="));
        assertThat(driver.findElement(By.cssSelector("main .notice")).getText()).contains("Precious lessons");
        assertThat(library.catalog().pack("victim")).isEmpty();
        assertThat(driver.findElement(By.cssSelector("table.audit")).getText()).contains("delete pack", "upload pack",
                "127.0.0.1");
    }

    @Test
    @Order(5)
    void packsOnAUsbStickAreTickedImportedAndFollowedToTheEnd() throws Exception {
        driver.get(base + "/admin");
        driver.findElement(By.linkText("Import from USB drive")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/drives"));
        List<String> states = driver.findElements(By.cssSelector(".drive .badge")).stream()
                .map(e -> e.getText()).toList();
        assertThat(states).containsExactlyInAnyOrder("New", "New", "Cannot import");
        assertThat(driver.findElement(By.cssSelector(".reason")).getText())
                .isEqualTo("evil.zip: zip entry '../../etc/cron.d/evil': the path contains a '..' segment");
        assertThat(driver.findElements(By.cssSelector("input[name=path]:checked"))).hasSize(2);
        shootPage("admin-drives");
        // The admin changes their mind about one pack: the label, a large target, unticks it.
        driver.findElement(By.xpath("//label[contains(., 'Oceans of the world')]")).click();
        driver.findElement(By.cssSelector(".submit-bar button")).click();
        wait.until(d -> d.getCurrentUrl().contains("/admin/drives?jobs="));
        // No reload by hand: the page follows the job itself.
        awaitJobsDone();
        assertThat(driver.findElement(By.cssSelector("#progress .job .state")).getText()).isEqualTo("Done");
        assertThat(driver.findElement(By.cssSelector("#progress .notice")).getText())
                .isEqualTo("All done: the packs are in the library.");
        shootPage("admin-drives-done");
        assertThat(library.catalog().pack("planets")).isPresent();
        assertThat(library.catalog().pack("oceans")).as("unticked, so left on the stick").isEmpty();
    }

    @Test
    @Order(6)
    void packsAreExportedToTheStickAndTheResultListsWhatWasChecked() throws Exception {
        driver.get(base + "/admin");
        driver.findElement(By.linkText("Export to USB drive")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/export"));
        assertThat(driver.findElement(By.cssSelector("input[name=target]")).isSelected())
                .as("the one stick is chosen already").isTrue();
        WebElement room = driver.findElement(By.id("export-room"));
        assertThat(room.getText()).isEqualTo("No pack is ticked yet.");
        // The small pack first: beside the big one it would not change the rounded total.
        driver.findElement(By.xpath("//label[contains(., 'Night sky')]")).click();
        String one = room.getText();
        assertThat(one).as("the script adds up what is ticked").startsWith("The ticked packs need about ")
                .contains("; STICK has ").endsWith(" free.");
        driver.findElement(By.xpath("//label[contains(., 'Planets & moons')]")).click();
        assertThat(room.getText()).startsWith("The ticked packs need about ").isNotEqualTo(one);
        shootPage("admin-export");
        driver.findElement(By.cssSelector(".submit-bar button")).click();
        wait.until(d -> d.getCurrentUrl().contains("/admin/export?jobs="));
        awaitJobsDone();
        List<String> written = driver.findElements(By.cssSelector("#progress .written li")).stream()
                .map(e -> e.getText()).toList();
        assertThat(written).hasSize(2).allSatisfy(w -> assertThat(w).endsWith("written, read back and checked"));
        assertThat(stick.resolve("planets-v1.zip")).isRegularFile();
        assertThat(stick.resolve("stars-v1.zip")).isRegularFile();
        shootPage("admin-export-done");
    }

    @Test
    @Order(7)
    void aServerIsAddedByAddressAndShownAsNotReachableWhenItDoesNotAnswer() throws Exception {
        driver.get(base + "/admin");
        driver.findElement(By.linkText("Peers and sync")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/peers"));
        assertThat(driver.findElement(By.tagName("main")).getText())
                .as("with nobody found, the page says how to add a server by address")
                .contains("add it below");
        shootPage("admin-peers-empty");
        // Port 9 (discard) on loopback: nobody answers there, so the peer is listed but not reachable.
        driver.findElement(By.cssSelector("input[name=address]")).sendKeys("127.0.0.1:9");
        driver.findElement(By.xpath("//button[contains(., 'Add this server')]")).click();
        wait.until(d -> d.findElement(By.tagName("main")).getText().contains("Not reachable"));
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("Added http://127.0.0.1:9");
        shootPage("admin-peers");
    }

    @Test
    @Order(8)
    void theAdminPagesKeepToTheirStrictPolicyAndLargeTargets() {
        for (String page : List.of("/admin", "/admin/jobs", "/admin/packs/stars/delete", "/admin/drives",
                "/admin/export", "/admin/peers")) {
            driver.get(base + page);
            // A checkbox or radio button is as large as its label: the whole row is the target.
            Object small = driver.executeScript("""
                    return [...document.querySelectorAll('.adminbar a, .adminbar button, main button, main .button,'
                        + ' main input:not([type=hidden])')]
                      .map(e => (e.type === 'checkbox' || e.type === 'radio') && e.closest('label') ? e.closest('label') : e)
                      .filter(e => e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80));
                    """);
            assertThat((List<?>) small).as(page).isEmpty();
        }
        List<LogEntry> violations = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getMessage().contains("Content Security Policy")
                        && !e.getMessage().contains("/packs/hostile/")).toList();
        assertThat(violations).as("our own pages break none of their own rules").isEmpty();
    }

    @Test
    @Order(9)
    void loggingOutEndsTheSession() {
        driver.get(base + "/admin");
        driver.findElement(By.cssSelector(".logout button")).click();
        wait.until(d -> d.getCurrentUrl().equals(base + "/"));
        assertThat(driver.manage().getCookieNamed("oc_admin")).isNull();
        driver.get(base + "/admin");
        wait.until(d -> d.getCurrentUrl().contains("/admin/login"));
    }

    /** Until the page's own script (or its refresh) shows every job it follows as ended. */
    static void awaitJobsDone() {
        // Read in one go: the script swaps the section in between two looks from here.
        wait.until(d -> "done".equals(driver.executeScript(
                "var p = document.getElementById('progress'); return p && p.getAttribute('data-live');")));
    }

    /** The whole page, at a small phone's width and a desktop's, for looking at. */
    static void shootPage(String name) throws Exception {
        for (int width : new int[] {360, 1280}) {
            driver.manage().window().setSize(new Dimension(width, 800));
            long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
            // The window's own frame takes about 100 px of its height from the page.
            driver.manage().window().setSize(new Dimension(width, (int) Math.min(Math.max(height, 640) + 120, 6000)));
            Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    static void shoot(String name) throws Exception {
        for (Map.Entry<String, Dimension> size : Map.of("phone", new Dimension(390, 844), "desktop",
                new Dimension(1280, 900)).entrySet()) {
            driver.manage().window().setSize(size.getValue());
            Files.write(SCREENSHOTS.resolve(name + "-" + size.getKey() + ".png"),
                    driver.getScreenshotAs(OutputType.BYTES));
        }
    }
}
