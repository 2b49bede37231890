package io.polyvisor.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Path;

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
    static RealVmPage page;

    @BeforeAll
    static void start() {
        page = RealVmPage.start(data, profile, "tty1", "");
    }

    @AfterAll
    static void stop() {
        if (page != null) page.close();
    }

    @Test
    void aCommandTypedIntoTheGuestsSerialConsoleRunsAndItsOutputShows() {
        var browser = page.browser;
        var wait = page.open(60);
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
