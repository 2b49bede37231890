package io.polyvisor.console;

import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.libvirt.TinyGuest;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serial console of a real QEMU guest (the tiny guest, on a libvirt host of the test fleet, scripts/test-hosts) in
 * a real headless Chromium: the page's terminal attaches through the server's WebSocket to libvirt's console stream
 * (virDomainOpenConsole through JNA), a command typed into it runs in the guest's shell, and its output comes back.
 * Fails when libvirt, QEMU or Chromium is missing.
 */
class SerialConsoleRealVmTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        List<URI> fleet = TestFleet.up(1);
        var img = TinyGuest.image();
        s = TestServer.start(data, 0);
        var host = s.post("/api/v1/hosts", "{\"uri\":\"" + fleet.get(0) + "\",\"name\":\"h1\"}");
        assertThat(host.status()).as(host.text()).isEqualTo(201);
        var vm = s.post("/api/v1/vms", "{\"name\":\"tty1\",\"vcpus\":1,\"memory\":\"128M\",\"host\":\"h1\",\"boot\":{\"kernel\":\""
                + img.kernel() + "\",\"initrd\":\"" + img.initrd() + "\",\"cmdline\":\"" + img.cmdline() + "\"}}");
        assertThat(vm.status()).as(vm.text()).isEqualTo(202);
        s.await("/api/v1/vms/tty1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(60));
        browser = Chromium.start(profile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) {
            s.delete("/api/v1/vms/tty1");
            s.close();
        }
    }

    @Test
    void aCommandTypedIntoTheGuestsSerialConsoleRunsAndItsOutputShows() {
        browser.get(s.server.url() + "/");
        var wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(s.server.token());
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        browser.get(s.server.url() + "/#/vms/tty1");
        wait.until(ExpectedConditions.textToBe(By.id("serial-status"), "connected"));
        var keys = browser.findElement(By.cssSelector("#serial-terminal .xterm-helper-textarea"));
        // the guest may still be booting: press Enter until its shell answers with a prompt, then run a command whose
        // output differs from what was typed (the tty echoes the command line itself)
        wait.until(d -> {
            keys.sendKeys("\n");
            return SerialConsoleBrowserTest.screen(browser).contains("# ");
        });
        keys.sendKeys("echo $((6*7))-$(hostname)\n");
        wait.until(d -> SerialConsoleBrowserTest.screen(browser).lines().anyMatch(l -> l.strip().equals("42-tty1")));
        ConsoleBrowserTest.picture(browser, "vm-serial-console-qemu");
    }
}
