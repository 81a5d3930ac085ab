package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A student on a small phone sees, on a pack's page and on the home page, the pack's downloads with
 * their sizes, big enough to tap, without scrolling sideways. Screenshots in target/screenshots.
 */
class DownloadsBrowserIT {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, dir) -> {
        Path site = PackFixtures.smallSite(dir.resolve("site"));
        PackFixtures.writeRandom(site, "media/clip.webm", 1_500_000, 4);
        Path zip = dir.resolve("garden.zip");
        PackBuilder.buildStreamed(site, new PackBuilder.Options("garden", "A garden of plants and soil", 1L, "en",
                "CC-BY-4.0", "Pages about beans, soil and compost, with a short film.", List.of("Ana"), "2026-11-30",
                null), zip, ProgressListener.NONE);
        new PackImporter(library).importPack(zip, ProgressListener.NONE);
    });

    @TempDir
    static Path profile;
    static ChromeDriver driver;

    @BeforeAll
    static void startBrowser() throws Exception {
        Files.createDirectories(HeadlessChromium.SCREENSHOTS);
        driver = HeadlessChromium.start(profile);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void thePackPageAt360PxShowsEachDownloadWithItsSize() throws Exception {
        driver.manage().window().setSize(new Dimension(360, 800));
        driver.get(server.url() + "/pack/garden");
        List<WebElement> links = driver.findElements(By.cssSelector(".downloads a.download"));
        assertThat(links).hasSize(2);
        assertThat(links.get(0).getAttribute("href")).endsWith("/download/garden.zip");
        assertThat(links.get(1).getAttribute("href")).endsWith("/download/garden.zim");
        for (WebElement link : links) {
            String size = link.findElement(By.cssSelector(".size")).getText();
            assertThat(size).as(link.getText()).matches("[0-9.,]+\\s?[kMG]?B");
            assertThat(link.getSize().getHeight()).as("tap target height").isGreaterThanOrEqualTo(44);
            assertThat(link.getRect().getX() + link.getRect().getWidth()).as("inside the screen").isLessThanOrEqualTo(360);
        }
        long scrollWidth = (Long) driver.executeScript("return document.documentElement.scrollWidth");
        assertThat(scrollWidth).as("no sideways scrolling").isLessThanOrEqualTo(360);
        // The downloads come before the contents: a student need not scroll past the whole table of contents.
        int downloadsTop = driver.findElement(By.cssSelector(".downloads")).getLocation().getY();
        int contentsTop = driver.findElement(By.id("contents")).getLocation().getY();
        assertThat(downloadsTop).isLessThan(contentsTop);
        shoot("pack-downloads");

        driver.get(server.url() + "/");
        List<WebElement> onHome = driver.findElements(By.cssSelector(".card-downloads a"));
        assertThat(onHome).hasSize(2);
        assertThat(onHome.get(0).getText()).matches("ZIP\\s+[0-9.,]+\\s?[kMG]?B");
        assertThat(onHome.get(0).getAttribute("title")).isEqualTo("Zip file");
        for (WebElement link : onHome) {
            assertThat(link.getSize().getHeight()).as("tap target height").isGreaterThanOrEqualTo(44);
        }
        shoot("home-downloads");
    }

    static void shoot(String name) throws Exception {
        for (int width : new int[] {360, 1280}) {
            driver.manage().window().setSize(new Dimension(width, 800));
            long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
            driver.manage().window().setSize(new Dimension(width, (int) Math.min(Math.max(height, 640) + 120, 6000)));
            Files.write(HeadlessChromium.SCREENSHOTS.resolve(name + "-" + width + ".png"),
                    driver.getScreenshotAs(OutputType.BYTES));
        }
        driver.manage().window().setSize(new Dimension(360, 800));
    }
}
