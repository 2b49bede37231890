package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.sim.SimClock;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.SimSettings;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The web console in Debian's Chromium against a server with {@link Settings#vms()} VMs on the simulator, each figure
 * beside its floor measured in the same run and the same page:
 * <ul>
 *   <li>first render of the VM list (a fresh load of {@code /#/vms} until every VM is counted and laid out) vs fetching
 *       and parsing the same {@code GET /api/v1/vms} in the page;</li>
 *   <li>a filter (one input event in the search box until the list shows the matching rows) vs the same filter over the
 *       names in plain JS;</li>
 *   <li>event to screen: a VM state change's commit (its {@code vm.state} event's {@code at}, taken in the committing
 *       transaction) until the VM's row shows the state, vs the same event's arrival on a raw event stream in the page
 *       (same machine, same clock: the server's {@code Instant} and the page's {@code timeOrigin + now()});</li>
 *   <li>serial echo: a key pressed in the xterm terminal (the event's timestamp) until the terminal shows its echo from
 *       the simulator's console, vs a raw WebSocket round trip to the same console from the page.</li>
 * </ul>
 * Every failure is an exception: a figure that could not be measured is never printed.
 */
final class ConsoleBench {
    /** Size of the run; validated by the command. */
    record Settings(int vms, int hosts, int renders, int samples) {}

    record Figures(int vms, List<Double> firstRenderS, List<Double> fetchParseS, double domContentLoadedS, List<Double> listAnsweredS,
                   List<Double> filterMs, List<Double> filterFloorMs, List<Double> eventToScreenMs, List<Double> sseArrivalMs,
                   List<Double> echoMs, List<Double> socketRoundTripMs) {
        static double p(List<Double> values, int percentile) {
            var sorted = new ArrayList<>(values);
            sorted.sort(Comparator.naturalOrder());
            return LifecycleBench.percentile(sorted, percentile);
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Search terms typed into the list; each is followed by clearing the box (all rows again), also measured. */
    private static final List<String> TERMS = List.of("vm-00", "42", "vm-09", "7", "vm-1", "999");

    private ConsoleBench() {}

    static Figures run(Settings s) throws Exception {
        String dc = "consolebench" + UUID.randomUUID().toString().substring(0, 8);
        var sim = SimDatacenter.create(dc, 1, SimClock.real(), SimSettings.instant());
        for (int h = 1; h <= s.hosts(); h++) sim.addHost("h" + h, 256, 1024L << 30);
        Path data = Files.createTempDirectory("polyvisor-console-bench");
        Path profile = Files.createTempDirectory("polyvisor-console-bench-chromium");
        ChromeDriver browser = null;
        try (RunningServer server = PolyvisorServer.start(ServerConfig.of(data).withPort(0))) {
            var api = new BenchApi(server);
            for (int h = 1; h <= s.hosts(); h++) BenchApi.ok(api.post("/api/v1/hosts", Map.of("uri", "sim://" + dc + "/h" + h)), 201);
            List<String> names = createVms(api, s.vms());
            browser = BenchChromium.start(profile);
            browser.manage().timeouts().scriptTimeout(WAIT);
            var page = new Page(browser, server);
            page.signIn();
            var render = page.firstRenders(s.vms(), s.renders());
            page.install();
            var filter = page.filters(names, s.samples());
            var events = page.eventsToScreen(api, names, s.samples());
            var echo = page.serialEcho(names.getFirst(), s.samples());
            return new Figures(s.vms(), render.get(0), render.get(1), render.get(2).getFirst(), render.get(3), filter.get(0), filter.get(1),
                    events.get(0), events.get(1), echo.get(0), echo.get(1));
        } finally {
            if (browser != null) browser.quit();
            ApiBench.deleteTree(profile);
            ApiBench.deleteTree(data);
        }
    }

    /** Creates vm-0001..vm-N (64 MiB each, placed by the scheduler) and waits until every one runs; names sorted. */
    private static List<String> createVms(BenchApi api, int count) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) names.add(String.format("vm-%04d", i));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> made = new ArrayList<>();
            for (String n : names) made.add(pool.submit(() -> BenchApi.ok(api.post("/api/v1/vms", Map.of("name", n, "memory", "64M")), 202)));
            for (var f : made) f.get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120 + count / 10).toNanos();
        while (true) {
            long running = 0;
            for (JsonNode v : api.get("/api/v1/vms")) if (v.path("state").asText().equals("running")) running++;
            if (running == count) return names;
            if (System.nanoTime() > deadline) throw new IllegalStateException(running + " of " + count + " VMs running in time");
            Thread.sleep(200);
        }
    }

    /** The console's page in the browser, with the probe (console-probe.js) once installed. */
    private static final class Page {
        private final ChromeDriver browser;
        private final RunningServer server;
        private final WebDriverWait await;

        Page(ChromeDriver browser, RunningServer server) {
            this.browser = browser;
            this.server = server;
            this.await = new WebDriverWait(browser, WAIT);
        }

        void signIn() {
            browser.get(server.url() + "/");
            await.until(d -> d.findElement(By.id("token")).isDisplayed());
            browser.findElement(By.id("token")).sendKeys(server.token());
            browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
            await.until(d -> d.findElement(By.id("nav")).isDisplayed());
        }

        /**
         * [first render s per load, fetch+parse s per load, [DOMContentLoaded s of the last load], the console's own
         * GET /api/v1/vms answered (responseEnd) s per load].
         */
        List<List<Double>> firstRenders(int vms, int loads) {
            String observer = resource("console-first-render.js").replace("__WANT__", Integer.toString(vms));
            browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", observer));
            List<Double> render = new ArrayList<>();
            List<Double> floor = new ArrayList<>();
            List<Double> listed = new ArrayList<>();
            double loaded = 0;
            for (int i = 0; i < loads; i++) {
                browser.get("about:blank");
                browser.get(server.url() + "/#/vms");
                Number at = await.until(d -> (Number) browser.executeScript("return window.__firstRender"));
                render.add(at.doubleValue() / 1000);
                loaded = ((Number) browser.executeScript(
                        "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")).doubleValue() / 1000;
                listed.add(((Number) browser.executeScript("return performance.getEntriesByType('resource')"
                        + ".find((e) => new URL(e.name).pathname === '/api/v1/vms').responseEnd")).doubleValue() / 1000);
                floor.add(((Number) async("""
                        const t0 = performance.now();
                        fetch('/api/v1/vms', { credentials: 'same-origin' }).then((r) => r.json())
                          .then((l) => done(l.length === %d ? performance.now() - t0 : 'got ' + l.length + ' VMs'), (e) => done(String(e)));
                        """.formatted(vms))).doubleValue() / 1000);
            }
            return List.of(render, floor, List.of(loaded), listed);
        }

        void install() {
            browser.executeScript(resource("console-probe.js"));
            async("__bench.fetchParse().then(done, (e) => done(String(e)))");
        }

        /** [filter ms, floor ms]: each term typed, then the box cleared, until {@code samples} of each are taken. */
        List<List<Double>> filters(List<String> names, int samples) {
            List<Double> ms = new ArrayList<>();
            List<Double> floor = new ArrayList<>();
            for (int i = 0; ms.size() < samples; i++) {
                for (String term : List.of(TERMS.get(i % TERMS.size()), "")) {
                    long expected = names.stream().filter(n -> n.contains(term)).count();
                    ms.add(number(async("__bench.filter(arguments[0], arguments[1], arguments[2]).then(done, (e) => done(String(e)))",
                            term, expected, names.size())));
                    List<?> f = (List<?>) browser.executeScript("return __bench.filterFloor(arguments[0])", term);
                    if (((Number) f.get(1)).longValue() != expected) throw new IllegalStateException("floor filter found " + f.get(1));
                    floor.add(number(f.getFirst()));
                }
            }
            return List.of(ms, floor);
        }

        /**
         * [event to screen ms, event to raw stream arrival ms]: the first rows of the list (sorted by name, so on screen)
         * are stopped and started in turn through the API; each sample waits for the row, then reads the event.
         */
        List<List<Double>> eventsToScreen(BenchApi api, List<String> names, int samples) throws InterruptedException {
            long seq = lastSeq(api, 0);
            browser.executeScript("__bench.follow(arguments[0])", seq);
            List<Double> screen = new ArrayList<>();
            List<Double> stream = new ArrayList<>();
            List<String> rows = names.subList(0, Math.min(5, names.size()));
            for (int i = 0; i < samples; i++) {
                String vm = rows.get(i % rows.size());
                String state = (i / rows.size()) % 2 == 0 ? "stopped" : "running";
                browser.executeScript("__bench.watchRow(arguments[0], arguments[1])", vm, state);
                BenchApi.ok(api.post("/api/v1/vms/" + vm + (state.equals("stopped") ? "/stop" : "/start"), Map.of()), 202);
                double shown = number(async("__bench.pending.then(done)"));
                JsonNode event = null;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (event == null) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("no vm.state event: " + vm + " is " + state);
                    for (JsonNode e : api.get("/api/v1/events?limit=1000&after=" + seq)) {
                        seq = e.path("seq").asLong();
                        if (e.path("type").asText().equals("vm.state") && e.path("subject").asText().equals(vm)
                                && e.path("message").asText().startsWith(vm + " is " + state)) {
                            event = e;
                            break;
                        }
                    }
                }
                double committed = epochMillis(Instant.parse(event.path("at").asText()));
                long eventSeq = event.path("seq").asLong();
                Number arrived = await.until(d -> (Number) browser.executeScript("return __bench.sse[arguments[0]]", eventSeq));
                screen.add(shown - committed);
                stream.add(arrived.doubleValue() - committed);
                Thread.sleep(100); // let the console settle: samples of one event each, not a backlog
            }
            return List.of(screen, stream);
        }

        /** [key to echo on screen ms, raw WebSocket round trip ms] on the VM's serial console. */
        List<List<Double>> serialEcho(String vm, int samples) {
            browser.get(server.url() + "/#/vms/" + vm);
            await.until(d -> "connected".equals(d.findElement(By.id("serial-status")).getText()));
            await.until(d -> terminalText().contains("sim serial console of " + vm));
            browser.executeScript(resource("console-probe.js"));
            browser.executeScript("__bench.keys()");
            browser.findElement(By.cssSelector("#serial-terminal .xterm-screen")).click();
            WebElement keys = browser.findElement(By.cssSelector("#serial-terminal .xterm-helper-textarea"));
            List<Double> echo = new ArrayList<>();
            for (int line = 1; echo.size() < samples; line++) {
                String typed = "L" + line + "-";
                keys.sendKeys(typed);
                String prefix = typed;
                await.until(d -> terminalText().contains(prefix));
                for (int c = 0; c < 30 && echo.size() < samples; c++) {
                    typed += (char) ('a' + (line * 7 + c) % 26);
                    browser.executeScript("__bench.watchTerminal(arguments[0])", typed);
                    keys.sendKeys(typed.substring(typed.length() - 1));
                    echo.add(number(async("__bench.pending.then(done)")));
                }
                keys.sendKeys(Keys.ENTER);
            }
            List<Double> socket = new ArrayList<>();
            for (Object o : (List<?>) async("__bench.socketRoundTrips(arguments[0], arguments[1]).then(done, (e) => done(String(e)))",
                    vm, samples)) {
                socket.add(number(o));
            }
            return List.of(echo, socket);
        }

        private String terminalText() {
            return (String) browser.executeScript("const r = document.querySelector('#serial-terminal .xterm-rows'); return r ? r.textContent : ''");
        }

        /** Largest event seq so far. */
        private static long lastSeq(BenchApi api, long from) {
            long seq = from;
            while (true) {
                JsonNode page = api.get("/api/v1/events?limit=1000&after=" + seq);
                if (page.isEmpty()) return seq;
                seq = page.get(page.size() - 1).path("seq").asLong();
            }
        }

        /** Runs body with {@code done} (the async script's callback) in scope; a string result is an error. */
        private Object async(String body, Object... args) {
            Object r = browser.executeAsyncScript("const done = arguments[arguments.length - 1];\n" + body, args);
            if (r instanceof String error) throw new IllegalStateException("in the console's page: " + error);
            return r;
        }
    }

    private static double number(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        throw new IllegalStateException("in the console's page: " + o);
    }

    private static double epochMillis(Instant t) {
        return t.getEpochSecond() * 1000.0 + t.getNano() / 1e6;
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleBench.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
