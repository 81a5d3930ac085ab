package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.offlinecommons.pack.PackFixtures.write;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.Library;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The interface in Arabic (right to left), Hindi and Chinese in real Chromium, as a phone (360 px)
 * and a desktop (1280 px) show it: home, a pack, the reader, search results and the admin
 * dashboard. The language is chosen with the menu, JavaScript switched off. Each page must fit
 * its width, keep its text inside its boxes and its boxes apart, and Arabic must mirror.
 * Screenshots go to target/screenshots (lang-LANG-PAGE-WIDTH.png) for people to look at; the
 * fonts come from fonts-noto-core and fonts-noto-cjk (scripts/test installs them).
 */
class LanguagesBrowserIT {

    private static final Path SCREENSHOTS = HeadlessChromium.SCREENSHOTS;

    /** Text that spills out of its own box (a word too long, a label that cannot wrap), and boxes that overlap. */
    private static final String LAYOUT_PROBLEMS = """
            const problems = [];
            const boxes = 'h1, h2, h3, p, dt, dd, li, summary, button, .button, .kind, .brand, .tile, .count, label';
            for (const e of document.querySelectorAll(boxes)) {
              const s = getComputedStyle(e);
              if (e.closest('.vh, details:not([open]) form') || s.display === 'none' || s.overflowX !== 'visible') continue;
              if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && s.display !== 'inline') {
                problems.push('overflows: ' + e.outerHTML.slice(0, 120));
              }
            }
            const groups = ['header .top-in > *', '.cards > li', '.crumbs li', '.prevnext > a', '.pager > *',
                '.pack-top > *', '.details dl div > *', '.card > *', '.adminbar-in > *', '.results > li'];
            for (const g of groups) {
              const list = [...document.querySelectorAll(g)].filter(e => e.getClientRects().length > 0);
              for (let i = 0; i < list.length; i++) {
                for (let j = i + 1; j < list.length; j++) {
                  if (list[i].parentElement !== list[j].parentElement) continue;
                  const a = list[i].getBoundingClientRect(), b = list[j].getBoundingClientRect();
                  const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                  const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                  if (x > 1 && y > 1) {
                    problems.push('overlap: ' + list[i].outerHTML.slice(0, 80) + ' / ' + list[j].outerHTML.slice(0, 80));
                  }
                }
              }
            }
            return problems;
            """;

    @TempDir
    static Path tmp;
    static Library library;
    static WebServer server;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static String base;
    static int arabicReaderPosition;
    static int hindiReaderPosition;
    static int chineseReaderPosition;

    @BeforeAll
    static void start() throws Exception {
        library = Library.open(tmp.resolve("data"));
        new AdminPassword(library).set(AdminFixtures.PASSWORD.toCharArray());
        PackImporter importer = new PackImporter(library);
        importer.importPack(pack(arabic(tmp.resolve("ar")), "madrasa", "مكتبة المدرسة: العلوم 2024 (Wikipedia)", "ar",
                "دروس في العلوم للصف السابع: النباتات، الماء، والطاقة الشمسية. 12 درسا مع صور."), ProgressListener.NONE);
        importer.importPack(pack(hindi(tmp.resolve("hi")), "vigyan", "विज्ञान की पाठशाला", "hi",
                "कक्षा 7 के लिए विज्ञान के पाठ: पौधे, पानी और सौर ऊर्जा।"), ProgressListener.NONE);
        importer.importPack(pack(chinese(tmp.resolve("zh")), "kexue", "科学课堂：植物与水", "zh",
                "七年级科学课：植物、水和太阳能，共十二课。"), ProgressListener.NONE);
        importer.importPack(pack(english(tmp.resolve("en")), "garden", "School garden: growing food together", "en",
                "Pages about growing food at school, with a long description that needs two lines on a card."),
                ProgressListener.NONE);
        arabicReaderPosition = library.catalog().items("madrasa").get(1).position();
        hindiReaderPosition = library.catalog().items("vigyan").get(1).position();
        chineseReaderPosition = library.catalog().items("kexue").get(1).position();
        server = WebServer.start(library, new JobRunner(), new WebServer.Options("127.0.0.1", 0));
        base = "http://127.0.0.1:" + server.port();
        driver = HeadlessChromium.start(tmp.resolve("browser-profile"));
        wait = HeadlessChromium.waitOn(driver);
        Files.createDirectories(SCREENSHOTS);
        driver.get(base + "/admin/login");
        driver.findElement(By.id("password")).sendKeys(AdminFixtures.PASSWORD);
        driver.findElement(By.cssSelector("main form button")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/admin"));
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
    void arabicMirrorsTheWholeLayout() throws Exception {
        choose("ar", "/pack/madrasa");
        visitAll("ar", "rtl", "madrasa", arabicReaderPosition, "المدرسة");
        // Mirrored: the library's name at the right, the search box to its left; "next" at the left.
        for (int width : new int[]{1280}) {
            HeadlessChromium.viewport(driver, width, 800);
            driver.get(base + "/read/madrasa/" + arabicReaderPosition);
            WebElement brand = driver.findElement(By.cssSelector(".brand"));
            WebElement search = driver.findElement(By.cssSelector("header .search"));
            assertThat(brand.getRect().getX()).as("brand right of the search box")
                    .isGreaterThan(search.getRect().getX() + search.getRect().getWidth() - 1);
            WebElement prev = driver.findElement(By.cssSelector(".prevnext .prev"));
            WebElement next = driver.findElement(By.cssSelector(".prevnext .next"));
            assertThat(next.getRect().getX()).as("next at the left").isLessThan(prev.getRect().getX());
            assertThat(driver.findElement(By.cssSelector("main h1")).getCssValue("text-align")).isIn("start", "right");
        }
        // A French reader of an Arabic pack: the interface left to right, the pack's text right to left.
        choose("fr", "/");
        WebElement card = driver.findElement(By.cssSelector(".card h3[lang=ar]"));
        assertThat(card.getDomAttribute("dir")).isEqualTo("rtl");
        assertThat(driver.findElement(By.cssSelector(".filter")).getText()).contains("Arabe", "Hindi", "Chinois");
        shoot("fr-home-with-arabic-pack");
    }

    @Test
    void hindiFitsAndReads() throws Exception {
        choose("hi", "/");
        // Words in Devanagari are not found yet (search in every script is the search-quality issue's).
        visitAll("hi", "ltr", "vigyan", hindiReaderPosition, "Photosynthesis");
    }

    @Test
    void chineseFitsAndReads() throws Exception {
        choose("zh", "/");
        visitAll("zh-Hans", "ltr", "kexue", chineseReaderPosition, "Photosynthesis");
    }

    /**
     * Picks a language with the menu on {@code path} as a browser without JavaScript would: opens
     * the details, presses the language's button, and lands on the same page in that language.
     */
    private static void choose(String tag, String path) {
        driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        try {
            HeadlessChromium.viewport(driver, 1280, 800);
            driver.get(base + path);
            driver.findElement(By.cssSelector(".langs summary")).click();
            driver.findElement(By.cssSelector(".langs button[value='" + tag + "']")).click();
            wait.until(d -> tag.equals(d.findElement(By.tagName("html")).getDomAttribute("lang").substring(0, 2)));
            assertThat(driver.getCurrentUrl()).isEqualTo(base + path);
        } finally {
            driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
        }
    }

    private static void visitAll(String lang, String dir, String packId, int readerPosition, String query)
            throws IOException {
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("home", "/");
        pages.put("pack", "/pack/" + packId);
        pages.put("reader", "/read/" + packId + "/" + readerPosition);
        pages.put("search", "/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        pages.put("admin", "/admin");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            driver.get(base + page.getValue());
            WebElement html = driver.findElement(By.tagName("html"));
            assertThat(html.getDomAttribute("lang")).as(page.getKey()).isEqualTo(lang);
            assertThat(html.getDomAttribute("dir")).as(page.getKey()).isEqualTo(dir);
            if (page.getKey().equals("search")) {
                assertThat(driver.findElements(By.cssSelector(".results li"))).as("results for " + query).isNotEmpty();
            }
            shoot(lang.substring(0, 2) + "-" + page.getKey());
        }
        // The menu, opened, on a phone: its list must fit the screen too.
        driver.get(base + "/");
        HeadlessChromium.viewport(driver, 360, 800);
        driver.findElement(By.cssSelector(".langs summary")).click();
        assertThat((Boolean) driver.executeScript("return document.documentElement.scrollWidth <= innerWidth;"))
                .as("open language menu fits 360 px").isTrue();
        WebElement menu = driver.findElement(By.cssSelector(".langs form"));
        assertThat(menu.getRect().getX()).as("menu inside the screen").isGreaterThanOrEqualTo(0);
        assertThat(menu.getRect().getX() + menu.getRect().getWidth()).isLessThanOrEqualTo(360);
        Files.write(SCREENSHOTS.resolve("lang-" + lang.substring(0, 2) + "-menu-360.png"),
                driver.getScreenshotAs(OutputType.BYTES));
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** Checks the page at 360 and 1280 px, then saves it whole. */
    private static void shoot(String name) throws IOException {
        for (int width : new int[]{360, 1280}) {
            HeadlessChromium.viewport(driver, width, 800);
            assertThat((Boolean) driver.executeScript("return document.documentElement.scrollWidth <= innerWidth;"))
                    .as(name + " fits " + width + " px without sideways scrolling").isTrue();
            assertThat((List<?>) driver.executeScript(LAYOUT_PROBLEMS)).as(name + " at " + width + " px").isEmpty();
            long height = (Long) driver.executeScript("return document.documentElement.scrollHeight;");
            HeadlessChromium.viewport(driver, width, (int) Math.min(height, 4000));
            Files.write(SCREENSHOTS.resolve("lang-" + name + "-" + width + ".png"),
                    driver.getScreenshotAs(OutputType.BYTES));
        }
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }


    private static Path pack(Path folder, String id, String title, String language, String description) {
        return PackFixtures.build(folder, new PackBuilder.Options(id, title, null, language, "CC-BY-SA-4.0",
                description, List.of("Offline Commons"), null, null), tmp.resolve(id + ".zip"));
    }

    private static Path arabic(Path root) throws IOException {
        write(root, "01-nabatat.md", "# النباتات والضوء\n\nتصنع النباتات غذاءها من ضوء الشمس (Photosynthesis)."
                + " في المدرسة 3 حدائق و 120 نبتة.\n");
        write(root, "02-maa.md", "# دورة الماء في الطبيعة: الدرس 2\n\nيتبخر الماء ثم يتكاثف ثم يهطل مطرا على"
                + " المدرسة. اقرأ أيضا Wikipedia، الصفحة 45.\n\n> الماء أصل الحياة.\n\n- البحر\n- السحاب\n- المطر\n");
        write(root, "03-taqa.md", "# الطاقة الشمسية\n\nلوح شمسي بقدرة 250 واط يكفي لحاسوب المدرسة.\n");
        return root;
    }

    private static Path hindi(Path root) throws IOException {
        write(root, "01-paudhe.md", "# पौधे और प्रकाश\n\nपौधे सूर्य के प्रकाश से अपना भोजन बनाते हैं (Photosynthesis)।\n");
        write(root, "02-paani.md", "# जल चक्र: पाठ 2\n\nपानी भाप बनता है, फिर बादल, फिर वर्षा। पौधे पानी पीते हैं।"
                + " विद्यालय में 120 पौधे हैं।\n");
        write(root, "03-urja.md", "# सौर ऊर्जा\n\n250 वाट का सौर पैनल विद्यालय के कंप्यूटर के लिए काफ़ी है।\n");
        return root;
    }

    private static Path chinese(Path root) throws IOException {
        write(root, "01-zhiwu.md", "# 植物与阳光\n\n植物利用阳光制造养分，这叫光合作用（Photosynthesis）。\n");
        write(root, "02-shui.md", "# 水的循环：第二课\n\n水蒸发成为水蒸气，然后凝结成云，最后变成雨落下。"
                + "学校里有 120 棵植物。Photosynthesis 需要水。\n");
        write(root, "03-taiyang.md", "# 太阳能\n\n一块 250 瓦的太阳能板足够学校的电脑使用。\n");
        return root;
    }

    private static Path english(Path root) throws IOException {
        write(root, "beds.md", "# Raised beds\n\nBuild raised beds. Photosynthesis needs light.\n");
        write(root, "water.md", "# Watering\n\nWater in the morning.\n");
        return root;
    }
}
