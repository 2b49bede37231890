package io.polyvisor.console;

import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.libvirt.TinyGuest;
import io.polyvisor.server.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real QEMU guest (the tiny guest, on libvirt host h1 of the test fleet, scripts/test-hosts) run by a server of its
 * own, and a headless Chromium that opens the guest's page in the console as the admin. Fails when libvirt, QEMU or
 * Chromium is missing.
 */
final class RealVmPage implements AutoCloseable {
    final TestServer s;
    final ChromeDriver browser;
    final String vm;

    private RealVmPage(TestServer s, ChromeDriver browser, String vm) {
        this.s = s;
        this.browser = browser;
        this.vm = vm;
    }

    /** Boots VM {@code vm} with {@code fields} (JSON members, "" or starting with a comma) added to its create body. */
    static RealVmPage start(Path data, Path profile, String vm, String fields) {
        var fleet = TestFleet.up(1);
        var img = TinyGuest.image();
        var s = TestServer.start(data, 0);
        var host = s.post("/api/v1/hosts", "{\"uri\":\"" + fleet.get(0) + "\",\"name\":\"h1\"}");
        assertThat(host.status()).as(host.text()).isEqualTo(201);
        var created = s.post("/api/v1/vms", "{\"name\":\"" + vm + "\",\"vcpus\":1,\"memory\":\"128M\",\"host\":\"h1\"" + fields
                + ",\"boot\":{\"kernel\":\"" + img.kernel() + "\",\"initrd\":\"" + img.initrd() + "\",\"cmdline\":\"" + img.cmdline() + "\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        s.await("/api/v1/vms/" + vm, v -> v.path("state").asText().equals("running"), Duration.ofSeconds(60));
        return new RealVmPage(s, Chromium.start(profile), vm);
    }

    /** Signs the admin in and opens the VM's page; returns a wait of {@code seconds} for what follows. */
    WebDriverWait open(int seconds) {
        return open(seconds, s.server.token());
    }

    /** Signs in with {@code token} (whoever was signed in before is signed out) and opens the VM's page. */
    WebDriverWait open(int seconds, String token) {
        browser.get(s.server.url() + "/");
        browser.manage().deleteAllCookies();
        browser.get(s.server.url() + "/");
        var wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        browser.get(s.server.url() + "/#/vms/" + vm);
        return wait;
    }

    @Override
    public void close() {
        browser.quit();
        s.delete("/api/v1/vms/" + vm);
        s.close();
    }
}
