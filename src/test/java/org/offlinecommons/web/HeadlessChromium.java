package org.offlinecommons.web;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium as the browser tests drive it; scripts/test installs it. */
final class HeadlessChromium {

    /** Where browser tests save their screenshots for people to look at. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {
    }

    /**
     * @param profile a fresh folder for the browser's profile
     * @param logs    the browser's logs to keep (e.g. {@code LogType.BROWSER} for CSP reports)
     */
    static ChromeDriver start(Path profile, String... logs) {
        return start(profile, java.util.Map.of(), logs);
    }

    /**
     * @param prefs the browser's own settings, as a user or an administrator sets them, e.g.
     *              {@code profile.managed_default_content_settings.javascript = 2} for no JavaScript
     */
    static ChromeDriver start(Path profile, java.util.Map<String, Object> prefs, String... logs) {
        // Never let Selenium Manager fetch a driver: the Debian one is the one that matches.
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile);
        if (!prefs.isEmpty()) {
            options.setExperimentalOption("prefs", prefs);
        }
        LoggingPreferences preferences = new LoggingPreferences();
        for (String log : logs) {
            preferences.enable(log, Level.ALL);
        }
        options.setCapability("goog:loggingPrefs", preferences);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return chrome;
    }

    /**
     * A wait for what a page shows, polling every 50 ms for up to 20 s. When a page reloads while
     * a condition reads it, Chromium reports the element it read as stale, or as a node that
     * "does not belong to the document": the wait then looks again. A condition that never holds
     * still fails, with the last error as its cause.
     */
    static WebDriverWait waitOn(org.openqa.selenium.WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.WebDriverException.class);
        return wait;
    }

    /** Emulates a screen {@code width} x {@code height} CSS px; below 600 px wide, a phone's. */
    static void viewport(ChromeDriver driver, int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", width, "height",
                height, "deviceScaleFactor", 1, "mobile", width < 600));
    }
}
