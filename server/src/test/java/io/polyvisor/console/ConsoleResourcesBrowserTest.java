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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Resources view's actions in a real headless Chromium against two simulated hosts: each action is done through
 * the page's forms and buttons and its result read back through the API (projects with quotas, users and their
 * one-time tokens, networks, security groups and their rules and members, volumes, templates and linked clones, images,
 * elastic groups with a real HAProxy); a refusal shows the API's own
 * detail, to the letter; an operator gets the forms of its projects' kinds only and a viewer no form or button.
 * In order, one browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleResourcesBrowserTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    static Path data;
    @TempDir
    static Path profile;
    static TestServer s;
    static ChromeDriver browser;
    static WebDriverWait await;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        for (String h : List.of("h1", "h2")) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\"}").status()).isEqualTo(201);
        }
        // an image to make a volume from and to delete: importing reads a file on the server's machine (the CLI's job)
        Path file = data.resolve("base.qcow2");
        var p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "64M").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(new String(p.getInputStream().readAllBytes())).isTrue();
        var image = s.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"" + file + "\"}");
        assertThat(image.status()).as(image.text()).isEqualTo(201);
        browser = Chromium.start(profile);
        await = new WebDriverWait(browser, Duration.ofSeconds(30));
        await.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // rows are redrawn as lists change
        browser.get(s.server.url() + "/");
        signIn(s.server.token());
        open();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (s != null) s.close();
    }

    @Test
    @Order(1)
    void projectsAreCreatedWithAQuotaChangedAndDeleted() {
        fill(Map.of("project-name", "shop", "project-quota-vcpus", "4", "project-quota-memory", "8G", "project-quota-vms", "3"));
        submit("project-create-form");
        row("projects", "shop");
        JsonNode quota = s.get("/api/v1/projects/shop").json().path("quota");
        assertThat(quota.path("vcpus").asInt()).isEqualTo(4);
        assertThat(quota.path("memory_bytes").asLong()).isEqualTo(8L << 30);
        assertThat(quota.path("vms").asInt()).isEqualTo(3);
        assertThat(cell("projects", "shop", 4)).isEqualTo("0 / 3");

        await.until(d -> new Select(d.findElement(By.id("project-update-name"))).getOptions().stream().anyMatch(o -> o.getText().equals("shop")));
        new Select(browser.findElement(By.id("project-update-name"))).selectByVisibleText("shop");
        fill(Map.of("project-update-vms", "none", "project-update-vcpus", "6"));
        submit("project-update-form");
        assertThat(browser.findElement(By.id("project-update-form-error")).getText()).isEmpty();
        assertThat(noLimit(s.get("/api/v1/projects/shop").json().path("quota").path("vms"))).isTrue();
        assertThat(s.get("/api/v1/projects/shop").json().path("quota").path("vcpus").asInt()).isEqualTo(6);
        assertThat(s.get("/api/v1/projects/shop").json().path("quota").path("memory_bytes").asLong()).as("kept").isEqualTo(8L << 30);

        // a refusal shows the API's own detail, exactly as the API gives it for the same body
        String expected = s.post("/api/v1/projects", "{\"name\":\"Bad_Name\"}").detail();
        assertThat(expected).isNotBlank();
        fill(Map.of("project-name", "Bad_Name"));
        submit("project-create-form");
        await.until(ExpectedConditions.textToBe(By.id("project-create-form-error"), expected));
        ConsoleBrowserTest.picture(browser, "resources-validation-error");

        twoPress("projects", "shop", "delete");
        await.until(d -> s.get("/api/v1/projects/shop").status() == 404);
        await.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#projects-rows tr[data-name=shop]")));
    }

    @Test
    @Order(2)
    void aUserIsCreatedItsTokenShownOnceThenRotatedAndRevoked() {
        assertThat(s.post("/api/v1/projects", "{\"name\":\"team\"}").status()).isEqualTo(201);
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#project-names option[value=team]")));
        fill(Map.of("user-name", "uma", "user-projects", "team", "user-expires", "90d"));
        new Select(browser.findElement(By.id("user-role"))).selectByVisibleText("operator");
        submit("user-create-form");
        String token = await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-value"))).getText();
        assertThat(browser.findElement(By.id("token-notice")).getText()).contains("shown this once");
        assertThat(whoami(token)).isEqualTo("200 uma operator [\"team\"]");
        JsonNode uma = s.get("/api/v1/users/uma").json();
        assertThat(uma.path("expires").asText()).as("90d from now").startsWith("20");
        row("users", "uma");
        ConsoleBrowserTest.picture(browser, "resources-user-token");
        browser.findElement(By.id("token-dismiss")).click();
        assertThat(browser.findElements(By.id("token-value"))).as("the token leaves the page").isEmpty();

        twoPress("users", "uma", "rotate");
        String rotated = await.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-value"))).getText();
        assertThat(rotated).startsWith("pv_").isNotEqualTo(token);
        assertThat(whoami(token)).startsWith("401");
        assertThat(whoami(rotated)).startsWith("200 uma operator");

        twoPress("users", "uma", "revoke");
        await.until(ExpectedConditions.textToBe(By.cssSelector("#users-rows tr[data-name=uma] td:nth-child(4)"), "revoked"));
        assertThat(s.get("/api/v1/users/uma").json().path("state").asText()).isEqualTo("revoked");
        assertThat(whoami(rotated)).startsWith("401");
    }

    @Test
    @Order(3)
    void networksAreCreatedAndDeleted() {
        fill(Map.of("network-name", "app", "network-cidr", "10.9.0.0/24", "network-project", "team"));
        browser.findElement(By.id("network-dhcp")).click();
        submit("network-create-form");
        row("networks", "app");
        JsonNode net = s.get("/api/v1/networks/app").json();
        assertThat(net.path("cidr").asText()).isEqualTo("10.9.0.0/24");
        assertThat(net.path("gateway").asText()).isEqualTo("10.9.0.1");
        assertThat(net.path("dhcp").asBoolean()).isTrue();
        assertThat(net.path("project").asText()).isEqualTo("team");

        String expected = s.post("/api/v1/networks", "{\"name\":\"bad\",\"cidr\":\"10.9.0.0/33\",\"dhcp\":false}").detail();
        fill(Map.of("network-name", "bad", "network-cidr", "10.9.0.0/33"));
        submit("network-create-form");
        await.until(ExpectedConditions.textToBe(By.id("network-create-form-error"), expected));

        twoPress("networks", "app", "delete");
        await.until(d -> s.get("/api/v1/networks/app").status() == 404);
    }

    @Test
    @Order(4)
    void securityGroupsAreCreatedTheirRulesAddedAndRemovedMembersJoinAndLeave() {
        fill(Map.of("secgroup-name", "web"));
        submit("secgroup-create-form");
        row("secgroups", "web");
        assertThat(s.get("/api/v1/secgroups/web").json().path("project").asText()).isEqualTo("default");
        await.until(d -> new Select(d.findElement(By.id("secgroup-rule-group"))).getOptions().size() == 1);

        rule("add", "ingress", "tcp:80", "10.9.0.0/24");
        await.until(d -> cell("secgroups", "web", 3).equals("tcp:80 from 10.9.0.0/24"));
        rule("add", "egress", "udp:53", "10.9.0.0/24");
        await.until(d -> cell("secgroups", "web", 3).equals("tcp:80 from 10.9.0.0/24; egress udp:53 to 10.9.0.0/24"));
        assertThat(s.get("/api/v1/secgroups/web").json().path("rules").toString())
                .isEqualTo("[{\"direction\":\"ingress\",\"allow\":\"tcp:80\",\"from\":\"10.9.0.0/24\",\"to\":null},"
                        + "{\"direction\":\"egress\",\"allow\":\"udp:53\",\"from\":null,\"to\":\"10.9.0.0/24\"}]");
        // a bad rule: the API's detail, to the letter, and nothing changed
        String expected = s.post("/api/v1/secgroups/web/rules", "{\"allow\":\"tcp:99999\",\"from\":\"10.9.0.0/24\"}").detail();
        rule("add", "ingress", "tcp:99999", "10.9.0.0/24");
        await.until(ExpectedConditions.textToBe(By.id("secgroup-rule-form-error"), expected));
        rule("remove", "ingress", "tcp:80", "10.9.0.0/24");
        await.until(d -> cell("secgroups", "web", 3).equals("egress udp:53 to 10.9.0.0/24"));

        var vm = s.post("/api/v1/vms", "{\"name\":\"m1\",\"memory\":\"64M\"}");
        assertThat(vm.status()).as(vm.text()).isEqualTo(202);
        s.awaitTask(vm.json().path("task").path("id").asText());
        await.until(d -> new Select(d.findElement(By.id("secgroup-member-group"))).getOptions().size() == 1);
        fill(Map.of("secgroup-member-vm", "m1"));
        submit("secgroup-member-form");
        assertThat(s.get("/api/v1/secgroups/web").json().path("members").toString()).isEqualTo("[\"m1\"]");
        String inUse = s.delete("/api/v1/secgroups/web").detail();
        twoPress("secgroups", "web", "delete");
        await.until(ExpectedConditions.textToBe(By.id("secgroups-error"), "delete web: " + inUse));
        fill(Map.of("secgroup-member-vm", "m1"));
        new Select(browser.findElement(By.id("secgroup-member-change"))).selectByValue("leave");
        submit("secgroup-member-form");
        assertThat(s.get("/api/v1/secgroups/web").json().path("members")).isEmpty();
        twoPress("secgroups", "web", "delete");
        await.until(d -> s.get("/api/v1/secgroups/web").status() == 404);
        assertThat(s.delete("/api/v1/vms/m1").status()).isEqualTo(202);
        await.until(d -> s.get("/api/v1/vms/m1").status() == 404);
    }

    @Test
    @Order(5)
    void aTemplateIsMadeOfAStoppedVmLinkedClonedAndDeletedOnceNoCloneUsesIt() {
        var gold = s.post("/api/v1/vms", "{\"name\":\"gold\",\"memory\":\"64M\",\"image\":\"base\",\"start\":false}");
        assertThat(gold.status()).as(gold.text()).isEqualTo(202);
        s.awaitTask(gold.json().path("task").path("id").asText());
        fill(Map.of("template-vm", "gold", "template-name", "tpl"));
        submit("template-create-form");
        row("templates", "tpl");
        JsonNode tpl = s.get("/api/v1/templates/tpl").json();
        assertThat(tpl.path("source").asText()).isEqualTo("gold");
        assertThat(cell("templates", "tpl", 4)).isEqualTo("gold");

        await.until(d -> new Select(d.findElement(By.id("clone-template"))).getOptions().size() == 1);
        fill(Map.of("clone-name", "c1"));
        browser.findElement(By.id("clone-start")).click(); // defined, not started
        submit("template-clone-form");
        await.until(d -> s.get("/api/v1/vms/c1").status() == 200
                && s.get("/api/v1/vms/c1").json().path("state").asText().equals("stopped"));
        await.until(d -> cell("templates", "tpl", 8).contains("c1"));
        // a full clone of the stopped VM: its own copy of gold's disk, on gold's host; a running source is refused
        fill(Map.of("full-clone-vm", "gold", "full-clone-name", "copy1"));
        browser.findElement(By.id("full-clone-start")).click();
        submit("full-clone-form");
        await.until(d -> s.get("/api/v1/vms/copy1").status() == 200);
        JsonNode copy = s.get("/api/v1/vms/copy1").json();
        assertThat(copy.path("host").asText()).isEqualTo(s.get("/api/v1/vms/gold").json().path("host").asText());
        assertThat(copy.path("disks").get(0).path("volume").asText()).isNotEqualTo(s.get("/api/v1/vms/gold").json().path("disks").get(0).path("volume").asText());
        var started = s.post("/api/v1/vms/c1/start", "");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        await.until(d -> s.get("/api/v1/vms/c1").json().path("state").asText().equals("running"));
        String refused = s.post("/api/v1/vms/c1/clone", "{\"name\":\"copy2\"}").detail();
        fill(Map.of("full-clone-vm", "c1", "full-clone-name", "copy2"));
        submit("full-clone-form");
        await.until(ExpectedConditions.textToBe(By.id("full-clone-form-error"), refused));
        assertThat(s.get("/api/v1/vms/copy2").status()).isEqualTo(404);
        assertThat(s.delete("/api/v1/vms/copy1").status()).isEqualTo(202);
        await.until(d -> s.get("/api/v1/vms/copy1").status() == 404);
        // a full clone's copy outlives its VM (not delete_with_vm): deleted once the reaper has detached it
        await.until(d -> s.delete("/api/v1/volumes/copy1-root").status() / 100 == 2);

        // in use: the API's refusal above the list; free again once the clone is gone
        String inUse = s.delete("/api/v1/templates/tpl").detail();
        twoPress("templates", "tpl", "delete");
        await.until(ExpectedConditions.textToBe(By.id("templates-error"), "delete tpl: " + inUse));
        for (String vm : List.of("c1", "gold")) assertThat(s.delete("/api/v1/vms/" + vm).status()).isEqualTo(202);
        await.withMessage(() -> "left: " + s.get("/api/v1/vms").text() + " " + s.get("/api/v1/volumes").text())
                .until(d -> s.get("/api/v1/vms").json().isEmpty() && s.get("/api/v1/volumes").json().isEmpty());
        twoPress("templates", "tpl", "delete");
        await.until(d -> s.get("/api/v1/templates/tpl").status() == 404);
    }

    /** Adds or removes one rule through the rule form. */
    private static void rule(String change, String direction, String allow, String peer) {
        new Select(browser.findElement(By.id("secgroup-rule-change"))).selectByValue(change);
        new Select(browser.findElement(By.id("secgroup-rule-direction"))).selectByValue(direction);
        fill(Map.of("secgroup-rule-allow", allow, "secgroup-rule-peer", peer));
        submit("secgroup-rule-form");
    }

    @Test
    @Order(6)
    void volumesAreCreatedEmptyOrFromAnImageGrownAndDeletedAndImagesDeleted() {
        fill(Map.of("volume-name", "data1", "volume-size", "1G", "volume-host", "h2"));
        submit("volume-create-form");
        row("volumes", "data1");
        assertThat(s.get("/api/v1/volumes/data1").json().path("size_bytes").asLong()).isEqualTo(1L << 30);
        assertThat(s.get("/api/v1/volumes/data1").json().path("host").asText()).isEqualTo("h2");
        fill(Map.of("volume-name", "os1", "volume-image", "base"));
        submit("volume-create-form");
        row("volumes", "os1");
        assertThat(s.get("/api/v1/volumes/os1").json().path("image").asText()).isEqualTo("base");

        await.until(d -> new Select(d.findElement(By.id("volume-resize-name"))).getOptions().size() == 2);
        new Select(browser.findElement(By.id("volume-resize-name"))).selectByVisibleText("data1");
        fill(Map.of("volume-resize-size", "2G"));
        submit("volume-resize-form");
        assertThat(s.get("/api/v1/volumes/data1").json().path("size_bytes").asLong()).isEqualTo(2L << 30);
        // shrinking is refused by the API, with its message
        fill(Map.of("volume-resize-size", "1G"));
        submit("volume-resize-form");
        await.until(ExpectedConditions.textToBe(By.id("volume-resize-form-error"), "volume data1 is 2 GiB; shrinking is refused (asked 1 GiB)"));

        // the image is in use: its delete is refused with the API's detail above the list
        assertThat(browser.findElement(By.id("image-import-help")).getText()).contains("polyvisor image import NAME --file");
        twoPress("images", "base", "delete");
        await.until(ExpectedConditions.textToBe(By.id("images-error"), "delete base: image base is in use by volume os1"));
        twoPress("volumes", "os1", "delete");
        twoPress("volumes", "data1", "delete");
        await.until(d -> s.get("/api/v1/volumes").json().isEmpty());
        twoPress("images", "base", "delete");
        await.until(d -> s.get("/api/v1/images/base").status() == 404);
    }

    @Test
    @Order(7)
    void anElasticGroupIsCreatedChangedScaledAndDeleted() {
        fill(Map.of("group-name", "web", "group-memory", "64M", "group-port", "80", "group-min", "0", "group-max", "3",
                "group-scale-in-window", "5", "group-health-path", "/healthz"));
        submit("group-create-form");
        row("groups", "web");
        JsonNode g = s.get("/api/v1/groups/web").json();
        assertThat(g.path("max").asInt()).isEqualTo(3);
        assertThat(g.path("memory_bytes").asLong()).isEqualTo(64L << 20);
        assertThat(g.path("rules").path("scale_in_window_s").asLong()).isEqualTo(5);
        assertThat(g.path("health_path").asText()).isEqualTo("/healthz");
        assertThat(g.path("endpoint").asText()).startsWith("127.0.0.1:");
        js("document.getElementById('volumes-table').scrollIntoView()");
        ConsoleBrowserTest.picture(browser, "resources");

        await.until(d -> new Select(d.findElement(By.id("group-update-name"))).getOptions().size() == 1);
        fill(Map.of("group-update-max", "5", "group-update-desired", "1"));
        submit("group-update-form");
        await.until(d -> {
            JsonNode now = s.get("/api/v1/groups/web").json();
            return now.path("max").asInt() == 5 && now.path("desired").asInt() == 1;
        });
        // desired beyond max: the API's refusal shows under the form
        fill(Map.of("group-update-desired", "9"));
        submit("group-update-form");
        await.until(d -> !d.findElement(By.id("group-update-form-error")).getText().isEmpty());
        String shown = browser.findElement(By.id("group-update-form-error")).getText();
        var direct = s.post("/api/v1/groups/web/scale", "{\"desired\":9}");
        assertThat(direct.status()).isEqualTo(400);
        assertThat(shown).isEqualTo(direct.detail());

        twoPress("groups", "web", "delete");
        s.await("/api/v1/groups", list -> list.isEmpty(), Duration.ofSeconds(30));
    }

    @Test
    @Order(8)
    void anOperatorGetsItsKindsFormsAndAViewerNone() {
        String operator = s.post("/api/v1/users", "{\"name\":\"otto\",\"role\":\"operator\",\"projects\":[\"team\"]}").json().path("token").asText();
        String viewer = s.post("/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\",\"projects\":[\"team\"]}").json().path("token").asText();
        assertThat(s.post("/api/v1/networks", "{\"name\":\"seen\",\"cidr\":\"10.8.0.0/24\",\"project\":\"team\"}").status()).isEqualTo(201);
        var image = s.post("/api/v1/images", "{\"name\":\"shared\",\"file\":\"" + data.resolve("base.qcow2") + "\"}");
        assertThat(image.status()).as(image.text()).isEqualTo(201);

        browser.findElement(By.id("sign-out")).click();
        signIn(operator);
        await.until(ExpectedConditions.textToBe(By.id("who"), "otto (operator)"));
        open();
        row("networks", "seen");
        assertThat(headings()).as("images are read by every role")
                .containsExactly("Networks", "Security groups", "Volumes", "Templates", "Elastic groups", "Images");
        row("images", "shared");
        assertThat(browser.findElements(By.id("image-import-help"))).as("importing is the admin's").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#images-table button"))).as("and so is deleting").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#view form")).stream().map(f -> f.getAttribute("id")).toList())
                .containsExactly("network-create-form", "secgroup-create-form", "secgroup-rule-form", "secgroup-member-form",
                        "volume-create-form", "volume-resize-form", "template-create-form", "template-clone-form", "full-clone-form",
                        "group-create-form", "group-update-form");
        assertThat(browser.findElements(By.id("project-create-form"))).isEmpty();
        assertThat(browser.findElements(By.id("user-create-form"))).isEmpty();
        fill(Map.of("network-name", "mine", "network-cidr", "10.7.0.0/24", "network-project", "team"));
        submit("network-create-form");
        row("networks", "mine");
        assertThat(s.get("/api/v1/networks/mine").json().path("project").asText()).isEqualTo("team");
        // the project field of an operator starts at its project: a volume made without touching it is team's
        assertThat(browser.findElement(By.id("volume-project")).getAttribute("value")).isEqualTo("team");
        fill(Map.of("volume-name", "opvol", "volume-size", "1G"));
        submit("volume-create-form");
        row("volumes", "opvol");
        assertThat(s.get("/api/v1/volumes/opvol").json().path("project").asText()).isEqualTo("team");
        ConsoleBrowserTest.picture(browser, "resources-operator");

        browser.findElement(By.id("sign-out")).click();
        signIn(viewer);
        await.until(ExpectedConditions.textToBe(By.id("who"), "vera (viewer)"));
        open();
        row("networks", "mine");
        assertThat(headings()).containsExactly("Networks", "Security groups", "Volumes", "Templates", "Elastic groups", "Images");
        row("images", "shared");
        assertThat(browser.findElements(By.cssSelector("#view form"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#view button"))).as("no button a viewer cannot use").isEmpty();
    }

    private static List<String> headings() {
        return browser.findElements(By.cssSelector("#view h2")).stream().map(WebElement::getText).toList();
    }

    private static void open() {
        await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#nav a[data-view=resources]"))).click();
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#networks-rows tr")));
    }

    private static void signIn(String token) {
        Chromium.signIn(browser, await, token);
    }

    private static void fill(Map<String, String> fields) {
        fields.forEach((id, value) -> {
            WebElement e = browser.findElement(By.id(id));
            e.clear();
            e.sendKeys(value);
        });
    }

    /** Sends the form and waits until it is answered (its button is disabled while the request is out). */
    private static void submit(String form) {
        By button = By.cssSelector("#" + form + " button[type=submit]");
        browser.findElement(button).click();
        await.until(ExpectedConditions.elementToBeClickable(button));
    }

    /** A quota limit that is not set: the API leaves it out or gives null. */
    private static boolean noLimit(JsonNode limit) {
        return limit.isMissingNode() || limit.isNull();
    }

    private static WebElement row(String kind, String name) {
        return await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + kind + "-rows tr[data-name=" + name + "]")));
    }

    private static String cell(String kind, String name, int column) {
        return row(kind, name).findElement(By.cssSelector("td:nth-child(" + column + ")")).getText();
    }

    /** Presses the row's button, then the "VERB NAME?" button it turns into. */
    private static void twoPress(String kind, String name, String action) {
        String rowCss = "#" + kind + "-rows tr[data-name=" + name + "] ";
        for (String button : List.of(action, "confirm-" + action)) {
            By by = By.cssSelector(rowCss + "button[data-action=" + button + "]");
            await.until(d -> { // a redraw between finding and clicking makes it stale: find it again
                d.findElement(by).click();
                return true;
            });
        }
    }

    /** "STATUS name role projects" of GET /api/v1/whoami with this token. */
    private static String whoami(String token) {
        var r = s.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/api/v1/whoami")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build());
        if (r.status() != 200) return String.valueOf(r.status());
        JsonNode j = r.json();
        return r.status() + " " + j.path("name").asText() + " " + j.path("role").asText() + " " + j.path("projects");
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }
}
