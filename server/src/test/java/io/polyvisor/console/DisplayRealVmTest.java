package io.polyvisor.console;

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

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graphical display of a real QEMU guest (the tiny guest with display vnc, on a libvirt host of the test fleet) in a
 * real headless Chromium: the page's noVNC connects through the server's WebSocket and libvirt
 * (virDomainOpenGraphicsFD) to the VM's VGA screen, draws it (the shell the tiny guest runs on its first virtual
 * terminal), and keys typed on it reach that shell: a file it makes is then seen from the serial console on the same
 * page. A viewer watches the same screen, marked view only, and what it types there never reaches the guest. Fails
 * when libvirt, QEMU or Chromium is missing.
 */
class DisplayRealVmTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static RealVmPage page;
    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        page = RealVmPage.start(data, profile, "gui1", ",\"display\":\"vnc\"");
        browser = page.browser;
    }

    @AfterAll
    static void stop() {
        if (page != null) page.close();
    }

    @Test
    void theGuestsScreenIsDrawnAndWhatIsTypedOnItRunsInTheGuest() {
        var wait = page.open(90);
        wait.until(ExpectedConditions.textToBe(By.id("display-status"), "connected"));
        // the screen: VGA text mode (720x400) with the guest's shell prompt on it, so some pixels are lit
        wait.until(d -> lit().get("lit") > 0);
        var screen = lit();
        assertThat(screen.get("width")).as("the guest's screen width").isGreaterThanOrEqualTo(640);
        assertThat(screen.get("height")).as("the guest's screen height").isGreaterThanOrEqualTo(400);

        typedOnDisplayRuns(wait, "typed-on-display");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('display').scrollIntoView()");
        ConsoleBrowserTest.picture(browser, "vm-display-qemu");
    }

    @Test
    void aViewerWatchesTheScreenAndWhatItTypesNeverReachesTheGuest() {
        // first the admin's keys reach the shell on tty1, so it runs when the viewer types
        var wait = page.open(90);
        wait.until(ExpectedConditions.textToBe(By.id("display-status"), "connected"));
        assertThat(browser.findElements(By.id("display-view-only"))).isEmpty();
        typedOnDisplayRuns(wait, "typed-by-admin");

        var user = page.s.post("/api/v1/users", "{\"name\":\"vic\",\"role\":\"viewer\",\"projects\":[\"default\"]}");
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        page.open(90, user.json().path("token").asText());
        wait.until(ExpectedConditions.textToBe(By.id("display-status"), "connected"));
        assertThat(browser.findElement(By.id("display-view-only")).getText()).isEqualTo("view only");
        wait.until(d -> lit().get("lit") > 0);
        typeOnDisplay("touch /tmp/typed-by-viewer");

        page.open(90); // the admin again, whose serial console types
        var keys = serialPrompt(wait);
        wait.until(d -> {
            keys.sendKeys("test -e /tmp/typed-by-viewer && echo viewer-typed-$((6*7)) || echo viewer-kept-out-$((6*7))\n");
            return SerialConsoleBrowserTest.screen(browser).lines().anyMatch(l -> l.strip().equals("viewer-kept-out-42"));
        });
        assertThat(SerialConsoleBrowserTest.screen(browser)).doesNotContain("viewer-typed-42");
    }

    /**
     * Types {@code touch /tmp/TAG} on the display until the page's serial console finds that file: keys typed before the
     * shell on tty1 has started are lost, so the typing is repeated.
     */
    private static void typedOnDisplayRuns(WebDriverWait wait, String tag) {
        var keys = serialPrompt(wait);
        wait.until(d -> {
            typeOnDisplay("touch /tmp/" + tag);
            keys.sendKeys("test -e /tmp/" + tag + " && echo found-$((6*7))-" + tag + "\n");
            return SerialConsoleBrowserTest.screen(browser).lines().anyMatch(l -> l.strip().equals("found-42-" + tag));
        });
    }

    /** Clicks the display and types {@code command} and Enter on it as key presses (unshifted keys only, one press each on a US keyboard). */
    private static void typeOnDisplay(String command) {
        var canvas = browser.findElement(By.cssSelector("#display-screen canvas"));
        new Actions(browser).click(canvas).perform();
        new Actions(browser).sendKeys(canvas, "\n").pause(Duration.ofMillis(300)).sendKeys(canvas, command).sendKeys(canvas, Keys.ENTER)
                .pause(Duration.ofMillis(300)).perform();
    }

    /** The page's serial console, once connected and the guest's prompt shows: where its keys go. */
    private static WebElement serialPrompt(WebDriverWait wait) {
        wait.until(ExpectedConditions.textToBe(By.id("serial-status"), "connected"));
        var keys = browser.findElement(By.cssSelector("#serial-terminal .xterm-helper-textarea"));
        wait.until(d -> {
            keys.sendKeys("\n");
            return SerialConsoleBrowserTest.screen(browser).contains("# ");
        });
        return keys;
    }

    /** The display canvas's size and how many of its pixels are not black. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> lit() {
        return (Map<String, Long>) ((JavascriptExecutor) browser).executeScript("""
                const c = document.querySelector('#display-screen canvas');
                if (!c || !c.width) return { width: 0, height: 0, lit: 0 };
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let lit = 0;
                for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] > 60) lit++;
                return { width: c.width, height: c.height, lit };""");
    }
}
