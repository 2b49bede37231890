package io.polyvisor.console;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accessibility of every view in a real headless Chromium: axe-core 4.14.1 (vendored from npm for the tests only,
 * src/test/resources/console-vendor, injected by the test, never served by the product) finds no serious or critical
 * violation on any view, for the admin and for a viewer (and on the Resources view showing a new token); and the console can be used from the keyboard alone
 * (sign in, move between views, open a VM).
 */
class AccessibilityBrowserTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;
    static WebDriverWait await;
    static String axe;
    static String viewerToken;

    @BeforeAll
    static void start() throws IOException {
        try (InputStream in = AccessibilityBrowserTest.class.getResourceAsStream("/console-vendor/axe.min.js")) {
            assertThat(in).as("axe-core is vendored by scripts/console-deps").isNotNull();
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        for (String h : List.of("h1", "h2")) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\"}").status()).isEqualTo(201);
        }
        assertThat(s.post("/api/v1/vms", "{\"name\":\"web1\",\"memory\":\"256M\",\"protection\":\"standby\"}").status()).isEqualTo(202);
        s.await("/api/v1/vms/web1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        viewerToken = s.post("/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\",\"projects\":[\"default\"]}").json().path("token").asText();
        browser = Chromium.start(profile);
        await = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) s.close();
    }

    @Test
    void noViewHasASeriousOrCriticalViolation() {
        fresh();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        Map<String, List<String>> found = new LinkedHashMap<>();
        found.put("sign-in", serious());
        signIn(s.server.token());
        Map<String, String> views = new LinkedHashMap<>();
        views.put("dashboard", "#host-cards article");
        views.put("hosts", "#host-rows tr");
        views.put("hosts/h1", "figure.chart .uplot");
        views.put("vms", "#vm-rows tr");
        views.put("vms/web1", "#serial-terminal .xterm-rows");
        views.put("ha", "#ha-hosts tr");
        views.put("balance", "#balance-summary:not(:empty)");
        views.put("resources", "#projects-rows tr");
        views.put("events", "#event-list li");
        views.forEach((view, ready) -> {
            browser.get(s.server.url() + "/#/" + view);
            await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(ready)));
            found.put(view, serious());
        });
        // the Resources view with a new user's token in its notice (role=status), made from the keyboard
        browser.get(s.server.url() + "/#/resources");
        var userName = await.until(ExpectedConditions.presenceOfElementLocated(By.id("user-name")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("user-role"))).selectByVisibleText("admin");
        userName.sendKeys("kim", Keys.ENTER);
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-value")));
        found.put("resources with a token", serious());
        browser.findElement(By.id("sign-out")).click();
        signIn(viewerToken);
        for (String view : List.of("dashboard", "vms", "vms/web1", "resources")) {
            browser.get(s.server.url() + "/#/" + view);
            await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#view h1")));
            found.put("viewer " + view, serious());
        }
        // the check can fail: a button with no name, added to the page, is a critical violation axe reports
        ((JavascriptExecutor) browser).executeScript("document.getElementById('view').append(document.createElement('button'))");
        assertThat(serious()).singleElement().asString().startsWith("button-name: ");
        browser.findElement(By.id("sign-out")).click();
        assertThat(found).hasSize(15).allSatisfy((view, violations) -> assertThat(violations).as(view).isEmpty());
    }

    @Test
    void theConsoleWorksFromTheKeyboardAlone() {
        fresh();
        var token = await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.switchTo().activeElement()).as("the token field has the focus").isEqualTo(token);
        new Actions(browser).sendKeys(s.server.token()).sendKeys(Keys.ENTER).perform();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        tabTo(By.cssSelector("#nav a[data-view=vms]"));
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#vm-rows tr[data-vm=web1]")));
        tabTo(By.cssSelector("#vm-rows tr[data-vm=web1] a"));
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        await.until(ExpectedConditions.textToBe(By.id("serial-status"), "connected"));
        tabTo(By.cssSelector("#serial-terminal .xterm-helper-textarea"));
        new Actions(browser).sendKeys("keyboard only").sendKeys(Keys.ENTER).perform();
        await.until(d -> SerialConsoleBrowserTest.screen(browser).contains("keyboard only"));
    }

    /** The sign-in page with no session (the tests run in any order in one browser). */
    private static void fresh() {
        browser.get(s.server.url() + "/healthz");
        browser.manage().deleteAllCookies();
        browser.get(s.server.url() + "/");
    }

    /** Presses Tab until the element has the focus (at most 40 times). */
    private static void tabTo(By target) {
        WebElement want = await.until(ExpectedConditions.presenceOfElementLocated(target));
        for (int i = 0; i < 40; i++) {
            if (browser.switchTo().activeElement().equals(want)) return;
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("Tab never reached " + target);
    }

    /** axe-core's serious and critical violations on the page as it is now: "rule: target" each. */
    @SuppressWarnings("unchecked")
    private static List<String> serious() {
        var js = (JavascriptExecutor) browser;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) js.executeScript(axe);
        var result = (List<Map<String, Object>>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))))
                  .catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));
                """);
        List<String> out = new ArrayList<>();
        for (var v : result) {
            if (List.of("serious", "critical").contains(v.get("impact"))) out.add(v.get("id") + ": " + v.get("nodes"));
        }
        return out;
    }

    private static void signIn(String token) {
        Chromium.signIn(browser, await, token);
    }
}
