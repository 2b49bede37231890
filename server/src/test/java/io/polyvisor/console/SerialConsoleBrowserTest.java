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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serial console in two real headless Chromiums at once, against the simulator's echo console (the real QEMU
 * guest's console is {@code realvm.SerialConsoleRealVmTest}): the admin types and pastes and reads the echo; a
 * viewer joining later sees what was printed before and what is typed after, without taking the console from the
 * admin, and its own input is not sent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SerialConsoleBrowserTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile1;
    @TempDir
    static Path profile2;
    static TestServer s;
    static ChromeDriver admin;
    static ChromeDriver viewer;
    static String viewerToken;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=16G\"}").status())
                .isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"web1\",\"memory\":\"64M\"}").status()).isEqualTo(202);
        s.await("/api/v1/vms/web1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        viewerToken = s.post("/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\",\"projects\":[\"default\"]}").json().path("token").asText();
        admin = Chromium.start(profile1);
        viewer = Chromium.start(profile2);
    }

    @AfterAll
    static void stop() {
        if (admin != null) admin.quit();
        if (viewer != null) viewer.quit();
        if (s != null) s.close();
    }

    @Test
    @Order(1)
    void theAdminTypesAndPastesAndReadsTheConsole() {
        open(admin, s.server.token());
        awaitScreen(admin, "sim serial console of web1");
        admin.findElement(By.cssSelector("#serial-terminal .xterm-helper-textarea")).sendKeys("echo typed\n");
        awaitScreen(admin, "echo typed");
        ((JavascriptExecutor) admin).executeScript("""
                const dt = new DataTransfer();
                dt.setData('text/plain', 'pasted words');
                document.querySelector('#serial-terminal .xterm-helper-textarea')
                  .dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
                """);
        awaitScreen(admin, "pasted words");
        ConsoleBrowserTest.picture(admin, "vm-serial-console");
    }

    @Test
    @Order(2)
    void aSecondViewerJoinsWithoutKickingTheFirstAndCannotType() {
        open(viewer, viewerToken);
        awaitScreen(viewer, "echo typed"); // printed before it joined: the server's scrollback
        assertThat(viewer.findElement(By.cssSelector("#serial")).getText()).contains("Read-only");
        admin.findElement(By.cssSelector("#serial-terminal .xterm-helper-textarea")).sendKeys("after join\n");
        awaitScreen(admin, "after join");
        awaitScreen(viewer, "after join");
        assertThat(admin.findElement(By.id("serial-status")).getText()).isEqualTo("connected");

        // the viewer's own terminal sends nothing; a WebSocket it opens by hand is told its input is dropped
        Object notice = ((JavascriptExecutor) viewer).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const ws = new WebSocket(`ws://${location.host}/api/v1/vms/web1/serial`);
                ws.onopen = () => ws.send('forged input\\r');
                ws.onmessage = (e) => { if (typeof e.data === 'string') { done(e.data); ws.close(); } };
                setTimeout(() => done('no notice'), 5000);
                """);
        assertThat(notice).isEqualTo("{\"notice\":\"viewers watch the console: input is not sent\"}");
        admin.findElement(By.cssSelector("#serial-terminal .xterm-helper-textarea")).sendKeys("marker\n");
        awaitScreen(admin, "marker");
        assertThat(screen(admin)).doesNotContain("forged input");
        ConsoleBrowserTest.picture(viewer, "vm-serial-console-viewer");
    }

    private static void open(ChromeDriver browser, String token) {
        browser.get(s.server.url() + "/");
        var wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        browser.get(s.server.url() + "/#/vms/web1");
        wait.until(ExpectedConditions.textToBe(By.id("serial-status"), "connected"));
    }

    static void awaitScreen(ChromeDriver browser, String text) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> screen(browser).contains(text));
    }

    /** The terminal's visible text, row by row (xterm.js's DOM renderer). */
    static String screen(ChromeDriver browser) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#serial-terminal .xterm-rows > div')].map(r => r.textContent).join('\\n')");
    }
}
