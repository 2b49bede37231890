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
    static ConsolePage page;

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
        page = new ConsolePage(s, browser, await);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) s.close();
    }

    @Test
    void anOperatorActsOnAVmsDisksNicsAndSnapshotsAndAViewerOnlyReadsThem() {
        page.signIn(s.server.token());
        browser.get(s.server.url() + "/#/vms/web");
        page.row("vm-disks", "root");

        // disks: attach a free volume, detach it (the first disk has no button)
        page.choose("vm-disk-volume", "data1");
        page.submit("vm-disk-attach-form");
        page.row("vm-disks", "data1");
        assertThat(s.get("/api/v1/vms/web").json().path("disks").findValuesAsText("volume")).containsExactly("root", "data1");
        assertThat(browser.findElements(By.cssSelector("#vm-disks-rows tr[data-name=root] button"))).isEmpty();
        page.twoPress("vm-disks", "data1", "detach");
        await.until(d -> s.get("/api/v1/vms/web").json().path("disks").findValuesAsText("volume").equals(List.of("root")));
        await.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#vm-disks-rows tr[data-name=data1]")));

        // NICs: plug one on lan, see its address, unplug it
        page.choose("vm-nic-network", "lan");
        page.submit("vm-nic-plug-form");
        String mac = await.until(d -> {
            var nics = s.get("/api/v1/vms/web").json().path("nics");
            for (var n : nics) if (n.path("network").asText().equals("lan")) return n.path("mac").asText();
            return null;
        });
        assertThat(page.cell("vm-nics", mac, 3)).startsWith("10.5.0.");
        page.twoPress("vm-nics", mac, "unplug");
        await.until(d -> s.get("/api/v1/vms/web").json().path("nics").findValuesAsText("network").stream().noneMatch("lan"::equals));

        // snapshots: a refusal shows the API's detail; take one, revert to it, delete it
        String expected = s.post("/api/v1/vms/web/snapshots", "{\"name\":\"Bad_Name\"}").detail();
        assertThat(expected).isNotBlank();
        page.type("vm-snapshot-name", "Bad_Name");
        page.submit("vm-snapshot-create-form");
        await.until(ExpectedConditions.textToBe(By.id("vm-snapshot-create-form-error"), expected));
        page.type("vm-snapshot-name", "before-upgrade");
        page.submit("vm-snapshot-create-form");
        assertThat(page.cell("vm-snapshots", "before-upgrade", 3)).as("taken while running: with memory").isEqualTo("yes");
        assertThat(s.get("/api/v1/vms/web/snapshots").json().findValuesAsText("name")).containsExactly("before-upgrade");
        page.twoPress("vm-snapshots", "before-upgrade", "revert");
        assertThat(browser.findElement(By.id("vm-snapshots-error")).getText()).isEmpty();
        page.twoPress("vm-snapshots", "before-upgrade", "delete");
        await.until(d -> s.get("/api/v1/vms/web/snapshots").json().isEmpty());
        ConsoleBrowserTest.picture(browser, "vm-parts");

        // a viewer of the project: the lists, no form, no button
        var viewer = s.post("/api/v1/users", "{\"name\":\"vic\",\"role\":\"viewer\",\"projects\":[\"default\"]}");
        assertThat(viewer.status()).as(viewer.text()).isEqualTo(201);
        assertThat(s.post("/api/v1/vms/web/snapshots", "{\"name\":\"kept\"}").status()).isEqualTo(201);
        browser.findElement(By.id("sign-out")).click();
        page.signIn(viewer.json().path("token").asText());
        browser.get(s.server.url() + "/#/vms/web");
        page.row("vm-snapshots", "kept");
        page.row("vm-disks", "root");
        assertThat(browser.findElements(By.cssSelector("#vm-parts form"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#vm-parts button"))).isEmpty();
    }
}
