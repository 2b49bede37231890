package io.polyvisor.console;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VM's page in a real headless Chromium against simulated hosts: its disks, NICs and snapshots are listed, and an
 * operator attaches and detaches a disk, plugs and unplugs a NIC, takes, reverts to and deletes a snapshot through the
 * page, each read back through the API; a refusal shows the API's own detail; a viewer sees the lists and no form or
 * button.
 */
class ConsoleVmPartsBrowserTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;
    static WebDriverWait await;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1?cpus=8&memory=16G\"}").status()).isEqualTo(201);
        for (String v : List.of("root", "data1")) {
            assertThat(s.post("/api/v1/volumes", "{\"name\":\"" + v + "\",\"size\":\"1G\",\"host\":\"h1\"}").status()).isEqualTo(201);
        }
        assertThat(s.post("/api/v1/networks", "{\"name\":\"lan\",\"cidr\":\"10.5.0.0/24\"}").status()).isEqualTo(201);
        var vm = s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"disks\":[\"root\"]}");
        assertThat(vm.status()).as(vm.text()).isEqualTo(202);
        s.await("/api/v1/vms/web", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        browser = Chromium.start(profile);
        await = new WebDriverWait(browser, Duration.ofSeconds(30));
        await.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // rows are redrawn as the VM changes
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) s.close();
    }

    @Test
    void anOperatorActsOnAVmsDisksNicsAndSnapshotsAndAViewerOnlyReadsThem() {
        signIn(s.server.token());
        browser.get(s.server.url() + "/#/vms/web");
        row("vm-disks", "root");

        // disks: attach a free volume, detach it (the first disk has no button)
        choose("vm-disk-volume", "data1");
        submit("vm-disk-attach-form");
        row("vm-disks", "data1");
        assertThat(s.get("/api/v1/vms/web").json().path("disks").findValuesAsText("volume")).containsExactly("root", "data1");
        assertThat(browser.findElements(By.cssSelector("#vm-disks-rows tr[data-name=root] button"))).isEmpty();
        twoPress("vm-disks", "data1", "detach");
        await.until(d -> s.get("/api/v1/vms/web").json().path("disks").findValuesAsText("volume").equals(List.of("root")));
        await.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#vm-disks-rows tr[data-name=data1]")));

        // NICs: plug one on lan, see its address, unplug it
        choose("vm-nic-network", "lan");
        submit("vm-nic-plug-form");
        String mac = await.until(d -> {
            var nics = s.get("/api/v1/vms/web").json().path("nics");
            for (var n : nics) if (n.path("network").asText().equals("lan")) return n.path("mac").asText();
            return null;
        });
        assertThat(cell("vm-nics", mac, 3)).startsWith("10.5.0.");
        twoPress("vm-nics", mac, "unplug");
        await.until(d -> s.get("/api/v1/vms/web").json().path("nics").findValuesAsText("network").stream().noneMatch("lan"::equals));

        // snapshots: a refusal shows the API's detail; take one, revert to it, delete it
        String expected = s.post("/api/v1/vms/web/snapshots", "{\"name\":\"Bad_Name\"}").detail();
        assertThat(expected).isNotBlank();
        type("vm-snapshot-name", "Bad_Name");
        submit("vm-snapshot-create-form");
        await.until(ExpectedConditions.textToBe(By.id("vm-snapshot-create-form-error"), expected));
        type("vm-snapshot-name", "before-upgrade");
        submit("vm-snapshot-create-form");
        assertThat(cell("vm-snapshots", "before-upgrade", 3)).as("taken while running: with memory").isEqualTo("yes");
        assertThat(s.get("/api/v1/vms/web/snapshots").json().findValuesAsText("name")).containsExactly("before-upgrade");
        twoPress("vm-snapshots", "before-upgrade", "revert");
        assertThat(browser.findElement(By.id("vm-snapshots-error")).getText()).isEmpty();
        twoPress("vm-snapshots", "before-upgrade", "delete");
        await.until(d -> s.get("/api/v1/vms/web/snapshots").json().isEmpty());
        ConsoleBrowserTest.picture(browser, "vm-parts");

        // a viewer of the project: the lists, no form, no button
        var viewer = s.post("/api/v1/users", "{\"name\":\"vic\",\"role\":\"viewer\",\"projects\":[\"default\"]}");
        assertThat(viewer.status()).as(viewer.text()).isEqualTo(201);
        assertThat(s.post("/api/v1/vms/web/snapshots", "{\"name\":\"kept\"}").status()).isEqualTo(201);
        browser.findElement(By.id("sign-out")).click();
        signIn(viewer.json().path("token").asText());
        browser.get(s.server.url() + "/#/vms/web");
        row("vm-snapshots", "kept");
        row("vm-disks", "root");
        assertThat(browser.findElements(By.cssSelector("#vm-parts form"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#vm-parts button"))).isEmpty();
    }

    private static void signIn(String token) {
        browser.get(s.server.url() + "/");
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    private static void choose(String select, String value) {
        await.until(d -> new Select(d.findElement(By.id(select))).getOptions().stream().anyMatch(o -> o.getAttribute("value").equals(value)));
        new Select(browser.findElement(By.id(select))).selectByValue(value);
    }

    private static void type(String id, String text) {
        var e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Sends the form and waits until it is answered (its button is disabled while the request is out). */
    private static void submit(String form) {
        By button = By.cssSelector("#" + form + " button[type=submit]");
        browser.findElement(button).click();
        await.until(ExpectedConditions.elementToBeClickable(button));
    }

    private static org.openqa.selenium.WebElement row(String table, String name) {
        return await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + table + "-rows tr[data-name='" + name + "']")));
    }

    private static String cell(String table, String name, int column) {
        return await.until(d -> {
            String text = row(table, name).findElement(By.cssSelector("td:nth-child(" + column + ")")).getText();
            return text.isEmpty() ? null : text;
        });
    }

    /** Presses the row's button, then the "VERB NAME?" button it turns into. */
    private static void twoPress(String table, String name, String action) {
        String rowCss = "#" + table + "-rows tr[data-name='" + name + "'] ";
        for (String button : List.of(action, "confirm-" + action)) {
            By by = By.cssSelector(rowCss + "button[data-action=" + button + "]");
            await.until((WebDriver d) -> {
                d.findElement(by).click();
                return true;
            });
        }
    }
}
