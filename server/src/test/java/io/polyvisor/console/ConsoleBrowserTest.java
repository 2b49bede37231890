package io.polyvisor.console;

import com.sun.net.httpserver.HttpServer;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium against a real server with two simulated hosts on 127.0.0.1: sign in,
 * see the hosts, create a VM through the form (a bad size first, whose API message must show next to the form), see
 * it become running without a reload (only the live event stream tells the page), stop it, delete it, sign out; and
 * requests without the session or forged from another origin are refused. The steps share one browser, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;
    static WebDriverWait await;
    static String sessionCookie;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        for (String h : List.of("h1", "h2")) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
        browser = Chromium.start(profile);
        await = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) s.close();
    }

    @Test
    @Order(1)
    void signsInWithTheTokenAndKeepsOnlyAnHttpOnlySessionCookie() {
        browser.get(s.server.url() + "/");
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();

        signIn("not-the-token");
        await.until(ExpectedConditions.textToBe(By.id("sign-in-error"), "wrong token"));

        signIn(s.server.token());
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        var cookie = browser.manage().getCookieNamed("polyvisor_session");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.getValue()).isNotEqualTo(s.server.token()).hasSizeGreaterThanOrEqualTo(43);
        sessionCookie = cookie.getValue();
        String kept = (String) js("return document.cookie + '|' + JSON.stringify(localStorage) + '|' + JSON.stringify(sessionStorage)"
                + " + '|' + document.getElementById('token').value");
        assertThat(kept).doesNotContain(s.server.token()).doesNotContain(sessionCookie);
    }

    @Test
    @Order(2)
    void showsTheHostsOnTheDashboardAndTheHostsList() {
        await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#host-cards article"), 2));
        assertThat(texts("#host-cards article h3")).containsExactly("h1 connected", "h2 connected");
        assertThat(browser.findElements(By.cssSelector("#host-cards meter"))).hasSize(4);
        picture("sign-in-then-dashboard");
        browser.findElement(By.cssSelector("#nav a[data-view=hosts]")).click();
        await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#host-rows tr"), 2));
        assertThat(texts("#host-rows tr td:first-child")).containsExactly("h1", "h2");
        assertThat(texts("#host-rows tr td:nth-child(5)")).containsOnly("16 GiB");
        picture("hosts");
    }

    @Test
    @Order(3)
    void aBadSizeShowsTheApisOwnMessageNextToTheForm() {
        browser.findElement(By.cssSelector("#nav a[data-view=vms]")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-form")));
        var api = s.post("/api/v1/vms", "{\"name\":\"web1\",\"vcpus\":1,\"memory\":\"12Q\"}");
        assertThat(api.status()).isEqualTo(400);
        assertThat(api.detail()).isNotBlank();

        fillCreate("web1", "12Q");
        await.until(ExpectedConditions.textToBe(By.id("create-error"), api.detail()));
        assertThat(browser.findElements(By.cssSelector("#vm-rows tr"))).isEmpty();
        picture("vms-validation-error");
    }

    @Test
    @Order(4)
    void aVmCreatedThroughTheFormBecomesRunningWithoutAReload() {
        js("window.__sameDocument = true");
        fillCreate("web1", "256M");
        By state = By.cssSelector("#vm-rows tr[data-vm=web1] td[data-field=state]");
        // well within the console's 10 s periodic re-read (USAGE_REFRESH_MS in app.js): only the live stream can be in time
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(state, "running"));
        assertThat(js("return window.__sameDocument === true")).as("the page was not reloaded").isEqualTo(true);
        assertThat(browser.findElement(By.id("create-error")).getText()).isEmpty();
        assertThat(s.get("/api/v1/vms/web1").json().path("state").asText()).isEqualTo("running");

        // the dashboard shows the host's measured memory use, as the API reports it
        String host = s.get("/api/v1/vms/web1").json().path("host").asText();
        var measured = s.await("/api/v1/hosts/" + host, h -> h.path("usage").path("memory_bytes").asLong() > 0, Duration.ofSeconds(20));
        long share = Math.round(100.0 * measured.path("usage").path("memory_bytes").asLong() / measured.path("memory_bytes").asLong());
        browser.findElement(By.cssSelector("#nav a[data-view=dashboard]")).click();
        await.until(ExpectedConditions.textToBe(By.cssSelector("#host-cards article[data-host=" + host + "] [data-field=memory]"),
                "Memory " + share + "% of 16 GiB"));
        picture("dashboard");

        browser.findElement(By.cssSelector("#nav a[data-view=events]")).click();
        await.until(d -> texts("#event-list .type").contains("vm.created"));
        assertThat(texts("#event-list .type")).contains("task.succeeded");
        picture("events");
        browser.findElement(By.cssSelector("#nav a[data-view=vms]")).click();
        await.until(ExpectedConditions.textToBe(state, "running"));
        picture("vms");
    }

    @Test
    @Order(5)
    void theVmsAndTheHostsPagesChartTheirLastHour() {
        browser.findElement(By.cssSelector("#vm-rows tr[data-vm=web1] td a")).click();
        await.until(ExpectedConditions.urlContains("#/vms/web1"));
        awaitChart("cpu", "web1 CPU, last hour: ");
        awaitChart("memory", "web1 memory, last hour: ");
        assertThat(browser.findElements(By.cssSelector("figure.chart .uplot canvas"))).hasSize(2);
        String host = s.get("/api/v1/vms/web1").json().path("host").asText();
        assertThat(browser.findElement(By.id("vm-facts")).getText()).isEqualTo("running on " + host + ", 1 vCPUs, 256 MiB");
        picture("vm-charts");

        browser.findElement(By.cssSelector("#nav a[data-view=hosts]")).click();
        browser.findElement(By.cssSelector("#host-rows tr[data-host=" + host + "] td a")).click();
        awaitChart("cpu", host + " CPU, last hour: ");
        awaitChart("memory", host + " memory, last hour: ");
        var samples = s.get("/api/v1/hosts/" + host + "/history").json().path("samples");
        assertThat(samples.size()).isPositive();
        picture("host-charts");
        browser.findElement(By.cssSelector("#nav a[data-view=vms]")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("vm-search")));
    }

    /** Waits until the chart has drawn at least one sample, and its caption gives the latest value in words. */
    private static void awaitChart(String which, String caption) {
        By figure = By.cssSelector("figure.chart[data-chart=" + which + "]");
        await.until(d -> !d.findElements(figure).isEmpty() && Integer.parseInt(d.findElement(figure).getAttribute("data-samples")) > 0);
        assertThat(browser.findElement(figure).findElement(By.tagName("figcaption")).getText()).startsWith(caption).endsWith(" now");
    }

    @Test
    @Order(6)
    void searchFiltersTheListByName() {
        var search = browser.findElement(By.id("vm-search"));
        search.sendKeys("nomatch");
        await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#vm-rows tr"), 0));
        search.clear();
        search.sendKeys("web");
        await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#vm-rows tr"), 1));
    }

    @Test
    @Order(7)
    void stopsAndDeletesTheVm() {
        By row = By.cssSelector("#vm-rows tr[data-vm=web1]");
        browser.findElement(By.cssSelector("#vm-rows tr[data-vm=web1] button[data-action=stop]")).click();
        await.until(ExpectedConditions.textToBe(By.cssSelector("#vm-rows tr[data-vm=web1] td[data-field=state]"), "stopped"));
        browser.findElement(By.cssSelector("#vm-rows tr[data-vm=web1] button[data-action=delete]")).click();
        // the first press only asks: nothing is deleted until the confirmation is pressed
        var confirm = await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#vm-rows tr[data-vm=web1] button[data-action=confirm-delete]")));
        assertThat(confirm.getText()).isEqualTo("Delete web1?");
        assertThat(s.get("/api/v1/vms/web1").status()).isEqualTo(200);
        confirm.click();
        await.until(ExpectedConditions.numberOfElementsToBe(row, 0));
        assertThat(s.get("/api/v1/vms/web1").status()).isEqualTo(404);
        assertThat(browser.findElement(By.id("vm-error")).getText()).isEmpty();
    }

    @Test
    @Order(8)
    void aStateChangingRequestWithoutTheConsoleHeaderIsRefused() {
        Object answer = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/vms', {method: 'POST', headers: {'Content-Type': 'application/json'},
                    body: JSON.stringify({name: 'nocsrf', memory: '64M'})})
                  .then(async r => done(r.status + ' ' + (await r.json()).detail), e => done(String(e)));
                """);
        assertThat(answer).isEqualTo("403 cross-site request refused: a state-changing request without a bearer token (a session cookie, or signing in) must send the "
                + "X-Polyvisor-Console header");
        assertThat(s.get("/api/v1/vms/nocsrf").status()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void aRequestForgedByAnotherOriginIsRefused() throws Exception {
        String forged = "{\"name\":\"forged\",\"memory\":\"64M\"}";
        // the same body is one the API accepts with the token (as JSON: a cross-site page can only send it as a "simple"
        // request, text/plain, which the edge refuses with 415 on top of the session's cross-site check)...
        var withToken = s.send(s.request("/api/v1/vms").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"control\",\"memory\":\"64M\"}")).build());
        assertThat(withToken.status()).as(withToken.text()).isEqualTo(202);
        // ...but from a page of another origin on this machine (same site: the SameSite cookie goes along) it is refused
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String page = "<!doctype html><title>evil</title><script>fetch('" + s.server.url() + "/api/v1/vms', {method: 'POST',"
                + " mode: 'no-cors', credentials: 'include', headers: {'Content-Type': 'text/plain'}, body: '" + forged + "'})"
                + ".finally(() => document.title = 'sent');</script>";
        evil.createContext("/", ex -> {
            byte[] b = page.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        evil.start();
        try {
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            await.until(ExpectedConditions.titleIs("sent"));
        } finally {
            evil.stop(0);
        }
        assertThat(s.get("/api/v1/vms/forged").status()).isEqualTo(404);
        assertThat(s.get("/api/v1/vms").json().findValuesAsText("name")).doesNotContain("forged");
    }

    @Test
    @Order(10)
    void signingOutEndsTheSession() {
        assertThat(withCookie(sessionCookie).status()).as("the session works before sign-out").isEqualTo(200);
        browser.get(s.server.url() + "/");
        await.until(ExpectedConditions.elementToBeClickable(By.id("sign-out"))).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.manage().getCookieNamed("polyvisor_session")).isNull();
        var after = withCookie(sessionCookie);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.detail()).isEqualTo("session expired or signed out; sign in again");
        Object anonymous = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/hosts').then(r => done(r.status), e => done(String(e)));
                """);
        assertThat(anonymous).isEqualTo(401L);
    }

    /** Keeps a picture of the current view in target/console-screenshots (for people; nothing compares them). */
    private static void picture(String name) {
        picture(browser, name);
    }

    static void picture(ChromeDriver browser, String name) {
        try {
            Path dir = Path.of("target", "console-screenshots");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static TestServer.Response withCookie(String cookie) {
        return s.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/api/v1/hosts")).header("Cookie", "polyvisor_session=" + cookie)
                .timeout(Duration.ofSeconds(10)).GET().build());
    }

    private static void signIn(String token) {
        var field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    private static void fillCreate(String name, String memory) {
        WebElement n = browser.findElement(By.id("create-name")), m = browser.findElement(By.id("create-memory"));
        n.clear();
        n.sendKeys(name);
        m.clear();
        m.sendKeys(memory);
        browser.findElement(By.cssSelector("#create-form button[type=submit]")).click();
    }

    private static List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }
}
