package io.polyvisor.console;

import io.polyvisor.server.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.util.List;

/**
 * What the console's browser tests do on a page, the way a person would: sign in, type into a field, choose an option,
 * send a form and wait for its answer, find a table's row by the name it shows, and press a two-press button. Rows are
 * redrawn as lists change, so a stale element is looked up again rather than failing the test.
 */
record ConsolePage(TestServer s, ChromeDriver browser, WebDriverWait await) {
    ConsolePage {
        await.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    void signIn(String token) {
        browser.get(s.server.url() + "/");
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    void type(String id, String text) {
        WebElement e = await.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
        e.clear();
        e.sendKeys(text);
    }

    /** The value of input {@code id}, once it is drawn. */
    String value(String id) {
        return await.until(ExpectedConditions.presenceOfElementLocated(By.id(id))).getAttribute("value");
    }

    /** Selects {@code value} in the select {@code id} once it is offered. */
    void choose(String id, String value) {
        await.until(d -> new Select(d.findElement(By.id(id))).getOptions().stream().anyMatch(o -> value.equals(o.getAttribute("value"))));
        new Select(browser.findElement(By.id(id))).selectByValue(value);
    }

    /** Sends the form and waits until it is answered (its button is disabled while the request is out). */
    void submit(String form) {
        By button = By.cssSelector("#" + form + " button[type=submit]");
        browser.findElement(button).click();
        await.until(ExpectedConditions.elementToBeClickable(button));
    }

    /** The row of {@code name} in the table body {@code TABLE-rows}, once it is drawn. */
    WebElement row(String table, String name) {
        return await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + table + "-rows tr[data-name='" + name + "']")));
    }

    /** The text of cell {@code column} (from 1) of that row, once it is not empty. */
    String cell(String table, String name, int column) {
        return await.until(d -> {
            String text = row(table, name).findElement(By.cssSelector("td:nth-child(" + column + ")")).getText();
            return text.isEmpty() ? null : text;
        });
    }

    /** Presses the row's button {@code action}, then the "VERB NAME?" button it turns into. */
    void twoPress(String table, String name, String action) {
        String rowCss = "#" + table + "-rows tr[data-name='" + name + "'] ";
        for (String button : List.of(action, "confirm-" + action)) {
            By by = By.cssSelector(rowCss + "button[data-action=" + button + "]");
            await.until((WebDriver d) -> { // a redraw between finding and clicking makes it stale: find it again
                d.findElement(by).click();
                return true;
            });
        }
    }
}
