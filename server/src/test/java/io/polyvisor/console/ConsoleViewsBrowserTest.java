package io.polyvisor.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin's operating views in a real headless Chromium against three simulated hosts: the balance plan (the
 * page shows the API's preview, each move with its reason, and Apply queues the moves), a migration started from
 * the VM list, a host put in maintenance and evacuated, adding a host, and the HA view. In order, one browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleViewsBrowserTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;
    static WebDriverWait await;
    static String dc;
    static String balanceInterval;

    @BeforeAll
    static void start() {
        balanceInterval = System.setProperty("polyvisor.balance.interval-seconds", "1");
        s = TestServer.start(data, 0);
        dc = TestServer.uniqueDatacenter();
        for (String h : List.of("h1", "h2", "h3")) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\"}").status()).isEqualTo(201);
        }
        // everything on h1: a plan that spreads it out
        for (String vm : List.of("a1", "a2", "a3", "a4")) {
            var r = s.post("/api/v1/vms", "{\"name\":\"" + vm + "\",\"vcpus\":2,\"memory\":\"3G\",\"host\":\"h1\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
        }
        for (String vm : List.of("a1", "a2", "a3", "a4")) {
            s.await("/api/v1/vms/" + vm, v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        }
        browser = Chromium.start(profile);
        await = new WebDriverWait(browser, Duration.ofSeconds(30));
        await.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // rows are redrawn on every event
        browser.get(s.server.url() + "/");
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(s.server.token());
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) s.close();
        if (balanceInterval == null) System.clearProperty("polyvisor.balance.interval-seconds");
        else System.setProperty("polyvisor.balance.interval-seconds", balanceInterval);
    }

    @Test
    @Order(1)
    void theBalanceViewShowsEachMoveWithItsReasonAndApplyQueuesThem() {
        // measured usage first, so that the preview is the one the page will get
        s.await("/api/v1/plans/balance", p -> p.path("moves").size() > 0, Duration.ofSeconds(20));
        browser.findElement(By.cssSelector("#nav a[data-view=balance]")).click();
        await.until(d -> !d.findElements(By.cssSelector("#balance-moves tr")).isEmpty());
        JsonNode plan = s.get("/api/v1/plans/balance").json();
        List<String> expected = new ArrayList<>();
        for (JsonNode m : plan.path("moves")) expected.add(m.path("vm").asText() + " " + m.path("to").asText() + " " + m.path("reason").asText());
        await.until(d -> rows().equals(expected));
        assertThat(expected).allSatisfy(m -> assertThat(m).contains("h1"));
        ConsoleBrowserTest.picture(browser, "balance-plan");

        browser.findElement(By.id("balance-apply")).click();
        await.until(d -> texts("#balance-moves td[data-field=outcome]").stream().allMatch(t -> t.equals("migration queued")));
        for (JsonNode m : plan.path("moves")) {
            s.await("/api/v1/vms/" + m.path("vm").asText(), v -> v.path("host").asText().equals(m.path("to").asText()), Duration.ofSeconds(30));
        }
        ConsoleBrowserTest.picture(browser, "balance-applied");
    }

    @Test
    @Order(2)
    void aMigrationStartedFromTheListShowsItsProgressThenItsNewHost() {
        browser.findElement(By.cssSelector("#nav a[data-view=vms]")).click();
        String from = s.get("/api/v1/vms/a1").json().path("host").asText();
        String to = from.equals("h2") ? "h3" : "h2";
        By row = By.cssSelector("#vm-rows tr[data-vm=a1]");
        new Select(await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#vm-rows tr[data-vm=a1] select[data-action=migrate-to]"))))
                .selectByValue(to);
        browser.findElement(By.cssSelector("#vm-rows tr[data-vm=a1] button[data-action=migrate]")).click();
        await.until(d -> d.findElement(row).findElements(By.cssSelector("[data-field=migration] progress")).size() == 1
                || d.findElement(row).findElement(By.cssSelector("td:nth-child(3)")).getText().equals(to));
        await.until(ExpectedConditions.textToBe(By.cssSelector("#vm-rows tr[data-vm=a1] td:nth-child(3)"), to));
        assertThat(s.get("/api/v1/vms/a1").json().path("host").asText()).isEqualTo(to);
        assertThat(browser.findElement(row).findElements(By.cssSelector("[data-field=migration]"))).isEmpty();
    }

    @Test
    @Order(3)
    void aHostInMaintenanceIsEvacuatedAndTheRowShowsIt() {
        String busiest = "h2";
        browser.findElement(By.cssSelector("#nav a[data-view=hosts]")).click();
        await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#host-rows tr[data-host=" + busiest + "] button[data-action=maintenance]"))).click();
        await.until(ExpectedConditions.textToBe(By.cssSelector("#host-rows tr[data-host=" + busiest + "] td[data-field=state]"), "maintenance"));
        await.until(ExpectedConditions.textToBe(By.cssSelector("#host-rows tr[data-host=" + busiest + "] [data-field=evacuation]"), "evacuated"));
        assertThat(s.get("/api/v1/hosts/" + busiest).json().path("vm_count").asInt()).isZero();
        ConsoleBrowserTest.picture(browser, "hosts-maintenance");
        browser.findElement(By.cssSelector("#host-rows tr[data-host=" + busiest + "] button[data-action=leave-maintenance]")).click();
        await.until(ExpectedConditions.textToBe(By.cssSelector("#host-rows tr[data-host=" + busiest + "] td[data-field=state]"), "connected"));
    }

    @Test
    @Order(4)
    void aHostIsAddedByItsUriAndABadUriShowsTheApisMessage() {
        var bad = s.post("/api/v1/hosts", "{\"uri\":\"nope://x\"}");
        assertThat(bad.status()).isGreaterThanOrEqualTo(400);
        fillHost("nope://x");
        await.until(ExpectedConditions.textToBe(By.id("add-host-error"), bad.detail()));
        fillHost("sim://" + dc + "/h4?cpus=4&memory=8G");
        await.until(ExpectedConditions.textToBe(By.cssSelector("#host-rows tr[data-host=h4] td[data-field=state]"), "connected"));
        assertThat(browser.findElement(By.id("add-host-error")).getText()).isEmpty();
    }

    @Test
    @Order(5)
    void theHaViewShowsEveryHostsHealthAndTheFailoverTimeline() {
        browser.findElement(By.cssSelector("#nav a[data-view=ha]")).click();
        await.until(d -> texts("#ha-hosts tr td:first-child").size() == 4);
        assertThat(texts("#ha-hosts tr td:first-child")).containsExactlyInAnyOrder("h1", "h2", "h3", "h4");
        assertThat(texts("#ha-hosts tr td:nth-child(2)")).containsOnly("healthy");
        assertThat(browser.findElement(By.id("ha-admission")).getText()).startsWith("ok");
        assertThat(texts("#ha-failovers li")).containsExactly("no host failure yet");
        ConsoleBrowserTest.picture(browser, "ha");
    }

    @Test
    @Order(6)
    void theResourcesViewListsProjectsAndNetworks() {
        assertThat(s.post("/api/v1/projects", "{\"name\":\"red\",\"quota\":{\"vms\":3}}").status()).isEqualTo(201);
        var net = s.post("/api/v1/networks", "{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}");
        assertThat(net.status()).as(net.text()).isEqualTo(201);
        browser.findElement(By.cssSelector("#nav a[data-view=resources]")).click();
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#projects-rows tr[data-name=red]")));
        assertThat(browser.findElement(By.cssSelector("#projects-rows tr[data-name=red] td:nth-child(4)")).getText()).isEqualTo("0 / 3");
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#networks-rows tr[data-name=app]")));
        assertThat(browser.findElement(By.cssSelector("#networks-rows tr[data-name=app] td:nth-child(3)")).getText()).isEqualTo("10.1.0.0/24");
    }

    /** A VM's page explains its placement as the API does: the decision, and each host's exclusion or score. */
    @Test
    @Order(7)
    void aVmsPageExplainsItsPlacementAsTheApiDoes() {
        browser.get(s.server.url() + "/#/vms/a1");
        await.until(ExpectedConditions.elementToBeClickable(By.id("explain-placement"))).click();
        await.until(ExpectedConditions.presenceOfElementLocated(By.id("placement-decision")));
        var api = s.get("/api/v1/vms/a1/placement").json();
        var decision = api.path("decision");
        assertThat(browser.findElement(By.id("placement-decision")).getText()).isEqualTo(decision.has("reason") && !decision.path("reason").isNull()
                ? "No host fits now: " + decision.path("reason").asText() : "Would be placed on " + decision.path("host").asText() + " now.");
        var shown = new java.util.HashMap<String, String>();
        for (WebElement row : browser.findElements(By.cssSelector("#placement-rows tr"))) {
            shown.put(row.getAttribute("data-host"), row.findElement(By.cssSelector("td[data-field=verdict]")).getText());
        }
        assertThat(shown).hasSize(api.path("hosts").size()).hasSizeGreaterThanOrEqualTo(3);
        for (var v : api.path("hosts")) {
            String want = v.path("excluded_by").isNull() || v.path("excluded_by").isMissingNode()
                    ? String.format(java.util.Locale.ROOT, "score %.3f", v.path("score").asDouble())
                    : "excluded by " + v.path("excluded_by").asText() + ": " + v.path("reason").asText();
            assertThat(shown.get(v.path("host").asText())).as(v.toString()).isEqualTo(want);
        }
        ConsoleBrowserTest.picture(browser, "vm-placement");
    }

    private static void fillHost(String uri) {
        WebElement u = browser.findElement(By.id("add-host-uri"));
        u.clear();
        u.sendKeys(uri);
        browser.findElement(By.cssSelector("#add-host-form button[type=submit]")).click();
    }

    private static List<String> rows() {
        return browser.findElements(By.cssSelector("#balance-moves tr")).stream().map(r -> {
            var c = r.findElements(By.tagName("td"));
            return c.get(0).getText() + " " + c.get(2).getText() + " " + c.get(5).getText();
        }).toList();
    }

    private static List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }
}
