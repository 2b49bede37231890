package io.polyvisor.console;

import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A headless Debian Chromium driven through Debian's chromedriver, with a fresh profile: the browser of the console
 * tests. Installed by scripts/chromium-up (scripts/test runs it); if either program is missing the test fails here,
 * saying so, and is never skipped. Selenium Manager is not used (explicit driver path, and SE_OFFLINE=true).
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    static ChromeDriver start(Path profile) {
        for (Path p : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: the console's browser tests need Debian's chromium and chromium-driver; "
                        + "run scripts/chromium-up");
            }
        }
        var options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,900");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        return new ChromeDriver(service, options);
    }

    /** Signs the console's page in with this token and waits for the navigation (the sign-in page must be open). */
    static void signIn(ChromeDriver browser, WebDriverWait await, String token) {
        var field = await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }
}
