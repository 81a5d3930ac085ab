package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.offlinecommons.pack.PackFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Titles suggested while typing, in real Chromium on a 360 px phone screen: typing shows them
 * under the box, arrow keys and Enter or a tap open one, Escape closes them, Enter alone still
 * searches; on an Arabic page they line up at the right. With JavaScript switched off in the
 * browser's settings the same form searches as before. Screenshots go to target/screenshots
 * (suggest-*.png) for people to look at.
 */
class SuggestBrowserIT {

    private static final int PHONE = 360;

    @TempDir
    static Path tmp;
    static Library library;
    static WebServer server;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        library = Library.open(tmp.resolve("data"));
        Path science = tmp.resolve("science");
        page(science, "index.html", "Science for class 7", "Start here: light, plants and energy.");
        page(science, "light/photosynthesis.html", "Photosynthesis", "Plants make their food from sunlight.");
        page(science, "light/photons.html", "Photons: the particles of light", "Light comes in small packets.");
        page(science, "light/album.html", "Photo album of the school garden", "Pictures of our garden.");
        page(science, "light/camera.html", "Digital photography for beginners", "How a camera works.");
        page(science, "light/how.html", "How plants use light: photosynthesis explained step by step",
                "A long title that has to wrap on a phone.");
        page(science, "elements/phosphorus.html", "Phosphorus", "An element plants need.");
        page(science, "elements/phone.html", "Phones and radio waves", "Not light, but close.");
        new PackImporter(library).importPack(pack(science, "science", "Science for class 7: light and plants", "en"),
                ProgressListener.NONE);
        Path arabic = tmp.resolve("arabic");
        write(arabic, "01.md", "# النباتات والضوء\n\nتصنع النباتات غذاءها من ضوء الشمس.\n");
        write(arabic, "02.md", "# النحل والزهور في حديقة المدرسة\n\nينقل النحل حبوب اللقاح.\n");
        write(arabic, "03.md", "# النجوم والكواكب\n\nفي الليل نرى النجوم.\n");
        write(arabic, "04.md", "# Photosynthesis: التمثيل الضوئي\n\nكيف تصنع النباتات غذاءها.\n");
        new PackImporter(library).importPack(pack(arabic, "madrasa", "مكتبة المدرسة: العلوم", "ar"),
                ProgressListener.NONE);
        server = WebServer.start(library, new JobRunner(), new WebServer.Options("127.0.0.1", 0));
        base = "http://127.0.0.1:" + server.port();
        driver = HeadlessChromium.start(tmp.resolve("browser-profile"));
        wait = HeadlessChromium.waitOn(driver);
        Files.createDirectories(HeadlessChromium.SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (library != null) {
            library.close();
        }
    }

    @Test
    void typingShowsTitlesAndArrowsAndEnterOpenOne() throws Exception {
        phone(driver);
        driver.get(base + "/");
        WebElement box = driver.findElement(By.id("q"));
        box.click();
        box.sendKeys("pho");
        List<String> titles = suggestions(driver);
        // Titles of two packs: each says its pack.
        assertThat(titles.get(0)).isEqualTo("Phosphorus\nScience for class 7: light and plants");
        assertThat(titles.get(2)).isEqualTo("Photosynthesis: التمثيل الضوئي\nمكتبة المدرسة: العلوم");
        assertThat(titles).hasSize(8);
        assertThat(box.getDomAttribute("aria-expanded")).isEqualTo("true");
        fitsTheScreen(driver);
        shoot(driver, "suggest-typing-" + PHONE);
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        shoot(driver, "suggest-typing-dark-" + PHONE);
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 800,
                "deviceScaleFactor", 1, "mobile", false));
        shoot(driver, "suggest-typing-1280");
        phone(driver);

        box.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN);
        WebElement chosen = driver.findElement(By.cssSelector(".suggest [aria-selected=true]"));
        assertThat(box.getDomAttribute("aria-activedescendant")).isEqualTo(chosen.getDomAttribute("id"));
        assertThat(chosen.getText()).startsWith("Photosynthesis");
        shoot(driver, "suggest-chosen-" + PHONE);
        box.sendKeys(Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().endsWith("/packs/science/light/photosynthesis.html"));
        assertThat(driver.getPageSource()).contains("Plants make their food from sunlight.");
    }

    @Test
    void aTapOnATitleOpensIt() throws Exception {
        phone(driver);
        driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 1));
        try {
            driver.get(base + "/");
            WebElement box = driver.findElement(By.id("q"));
            box.click();
            box.sendKeys("photo al");
            assertThat(suggestions(driver)).hasSize(1);
            WebElement option = driver.findElement(By.cssSelector(".suggest [role=option]"));
            var r = option.getRect();
            Map<String, Object> point = Map.of("x", r.getX() + r.getWidth() / 2, "y", r.getY() + r.getHeight() / 2);
            driver.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchStart", "touchPoints", List.of(point)));
            driver.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchEnd", "touchPoints", List.of()));
            wait.until(d -> d.getCurrentUrl().endsWith("/packs/science/light/album.html"));
        } finally {
            driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", false));
        }
    }

    @Test
    void escapeClosesThemAndEnterAloneSearchesAsBefore() throws Exception {
        phone(driver);
        driver.get(base + "/");
        WebElement box = driver.findElement(By.id("q"));
        box.click();
        box.sendKeys("light");
        assertThat(suggestions(driver)).isNotEmpty();
        box.sendKeys(Keys.ESCAPE);
        assertThat(driver.findElement(By.cssSelector(".suggest")).isDisplayed()).isFalse();
        assertThat(box.getDomAttribute("aria-expanded")).isEqualTo("false");
        box.sendKeys(Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().contains("/search?q=light"));
        assertThat(driver.findElements(By.cssSelector(".results > li"))).isNotEmpty();
    }

    @Test
    void thePackPagesBoxSuggestsOnlyThatPacksTitles() throws Exception {
        phone(driver);
        driver.get(base + "/pack/madrasa");
        WebElement box = driver.findElement(By.id("qp"));
        box.click();
        box.sendKeys("الن");
        List<String> titles = suggestions(driver);
        // Titles of one pack: no need to repeat its name on each.
        assertThat(titles).containsExactly("النباتات والضوء", "النجوم والكواكب", "النحل والزهور في حديقة المدرسة");
        shoot(driver, "suggest-in-pack-" + PHONE);
    }

    @Test
    void onAnArabicPageTheyLineUpAtTheRight() throws Exception {
        phone(driver);
        driver.get(base + "/");
        driver.findElement(By.cssSelector(".langs summary")).click();
        driver.findElement(By.cssSelector(".langs button[value='ar']")).click();
        wait.until(d -> "rtl".equals(d.findElement(By.tagName("html")).getDomAttribute("dir")));
        try {
            WebElement box = driver.findElement(By.id("q"));
            box.click();
            box.sendKeys("pho");
            assertThat(suggestions(driver)).isNotEmpty();
            fitsTheScreen(driver);
            // An English title on an Arabic page: written left to right, placed at the right.
            WebElement list = driver.findElement(By.cssSelector(".suggest"));
            WebElement title = driver.findElement(By.cssSelector(".suggest .t bdi"));
            int listRight = list.getRect().getX() + list.getRect().getWidth();
            int titleRight = title.getRect().getX() + title.getRect().getWidth();
            assertThat(listRight - titleRight).as("title ends near the right edge").isBetween(0, 40);
            shoot(driver, "suggest-rtl-" + PHONE);
            box.clear();
            box.sendKeys("النب");
            assertThat(suggestions(driver)).containsExactly("النباتات والضوء");
            shoot(driver, "suggest-rtl-arabic-" + PHONE);
        } finally {
            driver.get(base + "/");
            driver.findElement(By.cssSelector(".langs summary")).click();
            driver.findElement(By.cssSelector(".langs button[value='auto']")).click();
        }
    }

    @Test
    void withJavaScriptOffTheFormStillSearches() throws Exception {
        ChromeDriver plain = HeadlessChromium.start(tmp.resolve("no-js-profile"),
                Map.of("profile.managed_default_content_settings.javascript", 2));
        try {
            phone(plain);
            plain.get(base + "/");
            assertThat(plain.executeScript("return 1")).as("WebDriver still runs its own scripts").isEqualTo(1L);
            WebElement box = plain.findElement(By.id("q"));
            assertThat(box.getDomAttribute("role")).as("not enhanced").isNull();
            box.click();
            box.sendKeys("pho");
            Thread.sleep(400); // longer than the script's pause: had it run, a list would show now
            assertThat(plain.findElements(By.cssSelector(".suggest"))).isEmpty();
            box.sendKeys(Keys.ENTER);
            new WebDriverWait(plain, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/search?q=pho"));
            List<WebElement> results = plain.findElements(By.cssSelector(".results > li h2 a"));
            assertThat(results).extracting(WebElement::getText).contains("Photosynthesis", "Phosphorus");
            fitsTheScreen(plain);
            shoot(plain, "suggest-nojs-results-" + PHONE);
        } finally {
            plain.quit();
        }
    }

    /** The suggestions once they show: each option's text (title, then pack if several), in order. */
    private static List<String> suggestions(ChromeDriver d) {
        WebElement shown = HeadlessChromium.waitOn(d)
                .until(x -> x.findElements(By.cssSelector(".suggest")).stream()
                        .filter(l -> l.isDisplayed() && !l.findElements(By.cssSelector("[role=option]")).isEmpty())
                        .findFirst().orElse(null));
        return shown.findElements(By.cssSelector("[role=option]")).stream().map(WebElement::getText).toList();
    }

    private static void fitsTheScreen(ChromeDriver d) {
        assertThat((Boolean) d.executeScript("return document.documentElement.scrollWidth <= innerWidth;"))
                .as("no sideways scrolling").isTrue();
        List<WebElement> lists = d.findElements(By.cssSelector(".suggest"));
        for (WebElement list : lists) {
            if (list.isDisplayed()) {
                var r = list.getRect();
                assertThat(r.getX()).as("list starts on screen").isGreaterThanOrEqualTo(0);
                assertThat(r.getX() + r.getWidth()).as("list ends on screen").isLessThanOrEqualTo(PHONE);
                for (WebElement option : list.findElements(By.cssSelector("[role=option]"))) {
                    assertThat(option.getRect().getHeight()).as("tap target").isGreaterThanOrEqualTo(44);
                }
            }
        }
    }

    private static void phone(ChromeDriver d) {
        HeadlessChromium.viewport(d, PHONE, 740);
    }

    private static void shoot(ChromeDriver d, String name) throws IOException {
        Files.write(HeadlessChromium.SCREENSHOTS.resolve(name + ".png"), d.getScreenshotAs(OutputType.BYTES));
    }

    private static void page(Path root, String path, String title, String body) throws IOException {
        write(root, path, "<!doctype html><title>" + title + "</title><h1>" + title + "</h1><p>" + body + "</p>");
    }

    private static Path pack(Path folder, String id, String title, String language) {
        return PackFixtures.build(folder, new PackBuilder.Options(id, title, null, language, "CC-BY-SA-4.0",
                "For the suggestions test.", List.of("Offline Commons"), null, null), tmp.resolve(id + ".zip"));
    }
}
