package io.polyvisor.console;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Settings view in a real headless Chromium: each settings document's form shows what the API holds, a change saved
 * through it is what the API then answers (only the changed field is sent), a refused value shows the API's own detail
 * and changes nothing; the audit journal lists the newest requests, those just made through the page on top, and
 * filters by actor. An operator has no Settings view.
 */
class ConsoleSettingsBrowserTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;
    static WebDriverWait await;
    static ConsolePage page;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        browser = Chromium.start(profile);
        await = new WebDriverWait(browser, Duration.ofSeconds(30));
        page = new ConsolePage(s, browser, await);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) s.close();
    }

    @Test
    void settingsAreShownChangedAndRefusedAsTheApiSaysAndTheAuditJournalShowsTheNewest() {
        page.signIn(s.server.token());
        browser.get(s.server.url() + "/#/settings");
        assertThat(page.value("settings-ha-fence_retry_seconds")).isEqualTo(s.get("/api/v1/ha/settings").json().path("fence_retry_seconds").asText());
        assertThat(page.value("settings-balance-mode")).isEqualTo(s.get("/api/v1/balance/settings").json().path("mode").asText());
        assertThat(page.value("settings-retention-events_max_count")).isEqualTo(s.get("/api/v1/retention").json().path("events_max_count").asText());

        page.type("settings-ha-fence_retry_seconds", "90");
        page.submit("settings-ha-form");
        await.until(ExpectedConditions.textToBe(By.id("settings-ha-saved"), "saved: fence_retry_seconds"));
        assertThat(s.get("/api/v1/ha/settings").json().path("fence_retry_seconds").asInt()).isEqualTo(90);

        page.type("settings-guest-rate-burst", "7");
        page.submit("settings-guest-rate-form");
        await.until(ExpectedConditions.textToBe(By.id("settings-guest-rate-saved"), "saved: burst"));
        assertThat(s.get("/api/v1/coord/settings").json().path("burst").asInt()).isEqualTo(7);

        String mode = s.get("/api/v1/balance/settings").json().path("mode").asText();
        String expected = s.post("/api/v1/balance/settings", "{\"mode\":\"sideways\"}").detail();
        assertThat(expected).isNotBlank();
        page.type("settings-balance-mode", "sideways");
        page.submit("settings-balance-form");
        await.until(ExpectedConditions.textToBe(By.id("settings-balance-form-error"), expected));
        assertThat(s.get("/api/v1/balance/settings").json().path("mode").asText()).as("unchanged").isEqualTo(mode);

        // the audit journal: the page's own requests on top
        browser.navigate().refresh();
        await.until(d -> d.findElements(By.cssSelector("#audit-rows tr[data-seq]")).size() >= 2);
        String top = browser.findElement(By.cssSelector("#audit-rows tr[data-seq]")).getText();
        assertThat(top).as("the refused change, newest first").contains("/api/v1/balance/settings", "400");
        page.type("audit-actor", "nobody");
        page.submit("audit-filter-form");
        await.until(d -> d.findElement(By.id("audit-rows")).getText().equals("none"));
        ConsoleBrowserTest.picture(browser, "settings");

        // an operator has no Settings view: a typed #/settings opens the dashboard
        var op = s.post("/api/v1/users", "{\"name\":\"otto\",\"role\":\"operator\",\"projects\":[\"default\"]}");
        assertThat(op.status()).as(op.text()).isEqualTo(201);
        browser.findElement(By.id("sign-out")).click();
        page.signIn(op.json().path("token").asText());
        browser.get(s.server.url() + "/#/settings");
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nav a[data-view=dashboard][aria-current=page]")));
        assertThat(browser.findElements(By.id("settings-ha-form"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#nav a[data-view=settings]")).isDisplayed()).isFalse();
    }
}
