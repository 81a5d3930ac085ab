package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.offlinecommons.pack.PackFixtures.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.reading.PageUrls;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reading pages in a real browser (headless Chromium): browsing, reading, searching and
 * watching a video, as a student would. One browser and one server for the whole class.
 * Screenshots at phone and desktop widths go to target/screenshots for people to look at.
 */
class PagesIT {

    private static final Path SCREENSHOTS = HeadlessChromium.SCREENSHOTS;
    private static final int VIDEO_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Controls lower than 44 px; links inside running text are exempt, as in WCAG 2.5.8. */
    private static final String SMALL_TAP_TARGETS = """
            const controls = 'header a, header input, header button, main .button, main button, main input,'
                + ' .items a, .prevnext a, .filter a, .crumbs a, .pager a, .results h2 a, .results .meta a, .card';
            return [...document.querySelectorAll(controls)]
                .filter(e => e.type !== 'hidden' && e.getBoundingClientRect().height < 44)
                .map(e => e.outerHTML.slice(0, 100));
            """;

    /** Packs are imported after it starts: the browser that encodes the video needs a page from it first. */
    @RegisterExtension
    static final TestServer server = TestServer.open();

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
        driver = HeadlessChromium.start(tmp.resolve("browser-profile"), LogType.PERFORMANCE);
        wait = HeadlessChromium.waitOn(driver);
        // The video is encoded by the browser (WebCodecs needs a page from a trustworthy origin).
        driver.get(base + "/");
        byte[] video = TinyWebm.vp8(encodeFrames(VIDEO_SECONDS), 320, 180, 1000);
        Path garden = garden(tmp.resolve("garden"), video);
        PackImporter importer = new PackImporter(library);
        importer.importPack(PackFixtures.build(garden, new PackBuilder.Options("garden", "School garden", null, "en",
                "CC-BY-4.0", "Growing food at school: pages, an article and a video.", List.of("Year 7"), null, null),
                tmp.resolve("garden.zip")), ProgressListener.NONE);
        importer.importPack(PackFixtures.build(Path.of("content-packs/field-notes"),
                new PackBuilder.Options(null, null, null, null, null, null, null, null, null),
                tmp.resolve("field-notes.zip")), ProgressListener.NONE);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }


    /** One VP8 key frame per second, each showing its second, from the browser's encoder. */
    @SuppressWarnings("unchecked")
    static List<byte[]> encodeFrames(int seconds) {
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const seconds = arguments[0];
                (async () => {
                  const chunks = [];
                  const encoder = new VideoEncoder({
                    output: chunk => {
                      const bytes = new Uint8Array(chunk.byteLength);
                      chunk.copyTo(bytes);
                      let s = '';
                      for (const b of bytes) s += String.fromCharCode(b);
                      chunks.push(btoa(s));
                    },
                    error: e => done('error: ' + e)
                  });
                  encoder.configure({codec: 'vp8', width: 320, height: 180, bitrate: 300000, framerate: 1});
                  const canvas = new OffscreenCanvas(320, 180);
                  const g = canvas.getContext('2d');
                  for (let i = 0; i < seconds; i++) {
                    g.fillStyle = '#0b5cad'; g.fillRect(0, 0, 320, 180);
                    g.fillStyle = '#fff'; g.font = 'bold 72px sans-serif'; g.textAlign = 'center';
                    g.fillText('0:' + String(i).padStart(2, '0'), 160, 115);
                    const frame = new VideoFrame(canvas, {timestamp: i * 1000000, duration: 1000000});
                    encoder.encode(frame, {keyFrame: true});
                    frame.close();
                  }
                  await encoder.flush();
                  done(chunks);
                })().catch(e => done('error: ' + e));
                """, seconds);
        assertThat(result).as("frames from WebCodecs").isInstanceOf(List.class);
        List<byte[]> frames = new ArrayList<>();
        for (Object chunk : (List<Object>) result) {
            frames.add(Base64.getDecoder().decode((String) chunk));
        }
        assertThat(frames).hasSize(seconds);
        return frames;
    }

    static Path garden(Path root, byte[] video) throws IOException {
        write(root, "index.html", "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>Welcome to the garden</title>"
                + "<h1>Our school garden</h1><p>Start with <a href=\"plants/beans.html\">growing beans</a>.</p>");
        write(root, "plants/beans.html", "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
                + "<title>Growing beans</title><h1>Growing beans</h1>"
                + "<p>Beans need sun and water. <a href=\"../index.html\">Back to the garden</a></p>");
        write(root, "notes/soil.md", """
                # Soil and compost

                Compost feeds the *soil*, and healthy soil grows strong plants.

                ## Layers

                - Brown leaves and twigs
                - Green kitchen scraps
                - A thin layer of **garden soil**

                Read the [bean guide](../plants/beans.html) next.
                """);
        Path clip = root.resolve("media/seconds.webm");
        Files.createDirectories(clip.getParent());
        Files.write(clip, video);
        return root;
    }

    @Test
    void browsesFromHomeToAPackAndFollowsARelativeLinkInItsPage() throws Exception {
        driver.get(base + "/");
        new Actions(driver).sendKeys(Keys.TAB).perform();
        WebElement skip = driver.switchTo().activeElement();
        assertThat(skip.getText()).isEqualTo("Skip to content");
        assertThat(skip.getRect().getY()).as("the focused skip link is on screen").isGreaterThanOrEqualTo(0);
        skip.sendKeys(Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().endsWith("/#main"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Library");
        assertThat(driver.findElements(By.cssSelector(".cards .card"))).hasSize(2);
        shoot("home");
        driver.findElement(By.linkText("School garden")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/pack/garden"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("School garden");
        assertThat(driver.findElement(By.cssSelector(".details")).getText()).contains("CC-BY-4.0", "Year 7");
        shoot("pack");
        driver.findElement(By.partialLinkText("Welcome to the garden")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/packs/garden/index.html"));
        driver.findElement(By.linkText("growing beans")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/packs/garden/plants/beans.html"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Growing beans");
        driver.findElement(By.linkText("Back to the garden")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/packs/garden/index.html"));
    }

    @Test
    void readsAMarkdownItemInsideTheLayout() throws Exception {
        driver.get(base + "/pack/garden");
        driver.findElement(By.partialLinkText("Soil and compost")).click();
        wait.until(d -> d.getCurrentUrl().contains("/read/garden/"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Soil and compost");
        assertThat(driver.findElements(By.cssSelector(".prose h1, .prose h2")).stream().map(WebElement::getText))
                .containsExactly("Layers");
        assertThat(driver.findElements(By.cssSelector(".prose li"))).hasSize(3);
        assertThat(driver.findElement(By.cssSelector(".prose em")).getText()).isEqualTo("soil");
        shoot("reader-markdown");
        driver.findElement(By.linkText("bean guide")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/packs/garden/plants/beans.html"));
        driver.navigate().back();
        wait.until(d -> d.getCurrentUrl().contains("/read/garden/"));
        driver.findElement(By.cssSelector(".crumbs")).findElement(By.linkText("School garden")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/pack/garden"));
    }

    @Test
    void searchesFromTheHeaderAndOpensAResult() throws Exception {
        driver.get(base + "/");
        search("compost");
        assertThat(driver.findElement(By.cssSelector(".summary")).getText()).isEqualTo("1 result");
        assertThat(driver.findElements(By.cssSelector(".results mark"))).isNotEmpty()
                .allSatisfy(m -> assertThat(m.getText()).isEqualToIgnoringCase("compost"));
        assertThat(driver.findElement(By.id("q")).getAttribute("value")).isEqualTo("compost");
        shoot("search");
        driver.findElement(By.cssSelector(".results h2 a")).click();
        wait.until(d -> d.getCurrentUrl().contains("/read/garden/"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Soil and compost");
        search("qwxyzzy");
        assertThat(driver.findElement(By.cssSelector(".empty")).getText()).contains("Try fewer words");
        shoot("search-empty");
    }

    @Test
    void playsAVideoAndSeeksWithByteRanges() throws Exception {
        int position = library.catalog().items("garden").stream()
                .filter(i -> i.path().equals("media/seconds.webm")).findFirst().orElseThrow().position();
        driver.get(base + PageUrls.read("garden", position));
        WebElement video = driver.findElement(By.cssSelector("video"));
        assertThat(video.getAttribute("src")).isEqualTo(base + "/packs/garden/media/seconds.webm");
        wait.until(d -> (Boolean) driver.executeScript(
                "const v = arguments[0]; return v.readyState >= 1 && v.duration > 59;", video));
        driver.executeScript("const v = arguments[0]; v.muted = true; v.currentTime = 42;", video);
        wait.until(d -> (Boolean) driver.executeScript("const v = arguments[0];"
                + " return !v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - 42) < 0.5;", video));
        driver.executeScript("arguments[0].play();", video);
        wait.until(d -> (Boolean) driver.executeScript(
                "const v = arguments[0]; return !v.paused && v.currentTime > 42.2;", video));
        driver.executeScript("arguments[0].pause();", video);
        assertThat(driver.executeScript("return arguments[0].error;", video)).isNull();
        shoot("reader-video");

        assertThat(mediaStatuses("/packs/garden/media/seconds.webm")).contains(206);
        @SuppressWarnings("unchecked")
        List<Object> ranged = (List<Object>) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {headers: {Range: 'bytes=100-199'}})
                  .then(r => r.arrayBuffer().then(b => done([r.status, b.byteLength, r.headers.get('Content-Range')])))
                  .catch(e => done(['error ' + e]));
                """, video.getAttribute("src"));
        long size = Files.size(tmp.resolve("garden/media/seconds.webm"));
        assertThat(ranged).containsExactly(206L, 100L, "bytes 100-199/" + size);
    }

    @Test
    void readsAndSearchesTheFieldNotes() throws Exception {
        driver.get(base + "/pack/field-notes");
        assertThat(driver.findElements(By.cssSelector(".items li"))).hasSize(6);
        driver.findElement(By.partialLinkText("Building Full-Stack Scientific Applications")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/read/field-notes/3"));
        List<String> headings = driver.findElements(By.cssSelector(".prose h2")).stream().map(WebElement::getText)
                .toList();
        assertThat(headings).contains("Model", "View", "Controller");
        assertThat(driver.findElements(By.cssSelector(".prose h3"))).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector(".prose ul li"))).hasSizeGreaterThan(5);
        assertThat(driver.findElement(By.cssSelector(".prose a")).getAttribute("href"))
                .isEqualTo("http://durden.github.com/python_science_apps/");
        WebElement time = driver.findElement(By.cssSelector(".reader-head time"));
        assertThat(time.getAttribute("datetime")).isEqualTo("2013-03-16T17:41:10-04:00");
        assertThat(time.getText()).isEqualTo("Saturday 16 March 2013, 17:41 EDT");
        shoot("reader-notes");
        driver.findElement(By.cssSelector("a[rel=next]")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/read/field-notes/4"));

        for (Map.Entry<String, String> e : List.of(Map.entry("Numba", "Numba Talk"),
                Map.entry("gunicorn", "Python Deployment talk"), Map.entry("Khan Academy", "Khan Academy Lite"))) {
            search(e.getKey());
            assertThat(driver.findElement(By.cssSelector(".results h2 a")).getText()).as(e.getKey())
                    .isEqualTo(e.getValue());
            List<String> marked = driver.findElements(By.cssSelector(".results li:first-child mark")).stream()
                    .map(m -> m.getText().toLowerCase()).toList();
            assertThat(marked).as(e.getKey()).isNotEmpty();
            assertThat(e.getKey().toLowerCase().split(" ")).as(e.getKey()).containsAnyElementsOf(marked);
        }
        driver.findElement(By.cssSelector(".results h2 a")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/read/field-notes/1"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Khan Academy Lite");
    }

    @Test
    void aMissingPageExplainsItselfInWords() throws Exception {
        driver.get(base + "/pack/no-such-pack");
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Page not found");
        assertThat(driver.findElement(By.cssSelector(".detail")).getText()).contains("no-such-pack");
        shoot("not-found");
        driver.findElement(By.linkText("Go to the library")).click();
        wait.until(d -> d.getCurrentUrl().equals(base + "/"));
    }

    private static void search(String words) {
        WebElement box = driver.findElement(By.id("q"));
        box.clear();
        box.sendKeys(words + Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().contains("/search?q="));
        wait.until(d -> d.findElement(By.id("q")).getAttribute("value").equals(words));
    }

    /** HTTP statuses the browser received for a URL path, from its network log. */
    private static List<Integer> mediaStatuses(String path) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = JSON.readTree(entry.getMessage()).path("message");
            if (message.path("method").asText().equals("Network.responseReceived")) {
                JsonNode response = message.path("params").path("response");
                if (response.path("url").asText().endsWith(path)) {
                    statuses.add(response.path("status").asInt());
                }
            }
        }
        return statuses;
    }

    /**
     * Saves the page as a phone (360 px) and a desktop (1280 px) would show it, whole, after
     * checking what a phone user would trip over: sideways scrolling and small tap targets.
     */
    private static void shoot(String name) throws IOException {
        for (int width : new int[]{360, 1280}) {
            HeadlessChromium.viewport(driver, width, 800);
            assertThat((Boolean) driver.executeScript(
                    "return document.documentElement.scrollWidth <= arguments[0];", width))
                    .as(name + " fits " + width + " px without sideways scrolling").isTrue();
            assertThat((List<?>) driver.executeScript(SMALL_TAP_TARGETS)).as(name + " tap targets at " + width)
                    .isEmpty();
            long height = (Long) driver.executeScript("return document.documentElement.scrollHeight;");
            HeadlessChromium.viewport(driver, width, (int) Math.min(height, 4000));
            Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        }
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        HeadlessChromium.viewport(driver, 360, 800);
        Files.write(SCREENSHOTS.resolve(name + "-360-dark.png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

}
