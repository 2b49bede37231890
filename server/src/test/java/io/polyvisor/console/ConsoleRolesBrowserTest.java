package io.polyvisor.console;

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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles in the console, in a real headless Chromium: a viewer of project web sees that project's VM and nothing it
 * cannot use (no create form, no buttons, no hosts or events views), and a call it forges from the page with the
 * session cookie and the console header is refused by the API; an operator of the same project gets the buttons and
 * they work. The steps share one browser, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleRolesBrowserTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;
    static WebDriverWait await;
    static String viewerToken;
    static String operatorToken;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        var host = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=16G\"}");
        assertThat(host.status()).as(host.text()).isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"web\"}").status()).isEqualTo(201);
        for (String vm : List.of("{\"name\":\"web1\",\"memory\":\"64M\",\"project\":\"web\"}", "{\"name\":\"other1\",\"memory\":\"64M\"}")) {
            var r = s.post("/api/v1/vms", vm);
            assertThat(r.status()).as(r.text()).isEqualTo(202);
        }
        s.await("/api/v1/vms/web1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        viewerToken = s.post("/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\",\"projects\":[\"web\"]}").json().path("token").asText();
        operatorToken = s.post("/api/v1/users", "{\"name\":\"otto\",\"role\":\"operator\",\"projects\":[\"web\"]}").json().path("token").asText();
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
    void aViewerSeesItsProjectsVmsAndNoButtonItCannotUse() {
        browser.get(s.server.url() + "/");
        signIn(viewerToken);
        await.until(ExpectedConditions.textToBe(By.id("who"), "vera (viewer)"));
        assertThat(visibleNav()).containsExactly("Dashboard", "VMs", "Resources", "Events");
        assertThat(browser.findElements(By.id("host-cards"))).as("hosts are for admins").isEmpty();

        browser.findElement(By.cssSelector("#nav a[data-view=vms]")).click();
        await.until(ExpectedConditions.textToBe(By.cssSelector("#vm-rows tr[data-vm=web1] td[data-field=state]"), "running"));
        assertThat(texts("#vm-rows tr td:first-child")).as("only VMs of project web").containsExactly("web1");
        assertThat(browser.findElements(By.id("create-form"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#view button"))).as("no button a viewer cannot use").isEmpty();
        picture("vms-viewer");

        // a hand-typed hash does not open an admin view either
        browser.get(s.server.url() + "/#/hosts");
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nav a[data-view=dashboard][aria-current=page]")));
        assertThat(browser.findElements(By.id("host-rows"))).isEmpty();
    }

    @Test
    @Order(2)
    void aCallTheViewerForgesFromThePageIsRefusedByTheApi() {
        Object answer = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/vms/web1/stop', {method: 'POST', headers: {'Content-Type': 'application/json',
                    'X-Polyvisor-Console': '1'}, body: '{}'})
                  .then(async r => done(r.status + ' ' + (await r.json()).detail), e => done(String(e)));
                """);
        assertThat(answer).asString().startsWith("403 viewer vera may not call POST /api/v1/vms/");
        assertThat(s.get("/api/v1/vms/web1").json().path("state").asText()).isEqualTo("running");
    }

    @Test
    @Order(3)
    void anOperatorGetsTheButtonsAndTheyWork() {
        browser.findElement(By.id("sign-out")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        signIn(operatorToken);
        await.until(ExpectedConditions.textToBe(By.id("who"), "otto (operator)"));
        assertThat(visibleNav()).containsExactly("Dashboard", "VMs", "Resources", "Events");
        browser.findElement(By.cssSelector("#nav a[data-view=vms]")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-form")));
        await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#vm-rows tr[data-vm=web1] button[data-action=stop]"))).click();
        await.until(ExpectedConditions.textToBe(By.cssSelector("#vm-rows tr[data-vm=web1] td[data-field=state]"), "stopped"));
        assertThat(s.get("/api/v1/vms/web1").json().path("state").asText()).isEqualTo("stopped");
        picture("vms-operator");
    }

    /**
     * The operator's page is live: a start made elsewhere (the admin, through the API) shows in web1's row within 5 s,
     * which only the event stream brings in time (the whole list is re-read every 60 s); its timeline then holds web1's
     * events and none of other1, a VM of another project that was stopped meanwhile.
     */
    @Test
    @Order(4)
    void anOperatorsPageIsLiveWithTheEventsOfItsProjectsOnly() {
        assertThat(s.post("/api/v1/vms/other1/stop", "{}").status()).isEqualTo(202);
        s.await("/api/v1/vms/other1", v -> v.path("state").asText().equals("stopped"), Duration.ofSeconds(20));
        assertThat(s.post("/api/v1/vms/web1/start", "{}").status()).isEqualTo(202);
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(
                ExpectedConditions.textToBe(By.cssSelector("#vm-rows tr[data-vm=web1] td[data-field=state]"), "running"));
        browser.findElement(By.cssSelector("#nav a[data-view=events]")).click();
        await.until(d -> texts("#event-list li").stream().anyMatch(t -> t.contains("web1 is running")));
        var timeline = texts("#event-list li");
        assertThat(timeline).noneMatch(t -> t.contains("other1"));
        assertThat(timeline).noneMatch(t -> t.contains("host.") || t.contains("user.") || t.contains("project."));
        picture("events-operator");
    }

    private static List<String> visibleNav() {
        return browser.findElements(By.cssSelector("#nav a")).stream().filter(WebElement::isDisplayed).map(WebElement::getText).toList();
    }

    private static void signIn(String token) {
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        var field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    private static List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static void picture(String name) {
        ConsoleBrowserTest.picture(browser, name);
    }
}
