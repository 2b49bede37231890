package io.polyvisor.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.autoscale.Group;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.Operation;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole server on the simulator with the groups controller every 200 ms and a real HAProxy per group. Members'
 * forwarded guest ports are served by loopback HTTP servers the test starts for each running member (what a guest's
 * web server would do). The group grows under a pushed metric, shrinks with drain while a load generator sees no
 * failed request, and with injected start failures never has more members than max.
 */
class GroupsServerTest {
    private static final Map<String, String> PROPS = Map.of("polyvisor.groups.interval-ms", "200",
            "polyvisor.groups.check-interval-ms", "100", "polyvisor.groups.drain-timeout-ms", "5000",
            "polyvisor.groups.start-timeout-ms", "20000");
    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void fast() {
        PROPS.forEach(System::setProperty);
    }

    @AfterAll
    static void restore() {
        PROPS.keySet().forEach(System::clearProperty);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    /** Serves each running member's forwarded port with a loopback HTTP server, and watches how many members exist. */
    private static final class Guests implements AutoCloseable {
        final Map<String, Backend> serving = new ConcurrentHashMap<>();
        final AtomicInteger mostMembers = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        Guests(Store store, String group) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    try {
                        serveRunningMembers(store, group);
                    } catch (RuntimeException e) {
                        // a port still held a moment after the previous server closed, say: retried next round, and
                        // reported when the test fails (a guest's web server would come back too)
                        System.err.println("test guests of " + group + ": " + e);
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void serveRunningMembers(Store store, String group) {
            List<Vm> members = GroupController.members(store.vms(), group);
            mostMembers.accumulateAndGet(members.size(), Math::max);
            var running = new HashSet<String>();
            for (Vm vm : members) {
                if (!(vm.state() instanceof VmState.Running)) continue;
                Integer port = store.endpoints(vm.id()).get(80);
                if (port == null) continue;
                running.add(vm.name());
                Backend b = serving.get(vm.name());
                if (b != null && b.server.getAddress().getPort() != port) serving.remove(vm.name()).close(); // moved to another port
                serving.computeIfAbsent(vm.name(), n -> new Backend(n, port));
            }
            serving.keySet().stream().filter(n -> !running.contains(n)).toList().forEach(n -> serving.remove(n).close());
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
            serving.values().forEach(Backend::close);
        }
    }

    private TestServer server(String dc, int hosts) {
        TestServer s = TestServer.start(data, 0);
        open.add(s);
        for (int i = 1; i <= hosts; i++) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h" + i + "?cpus=16&memory=32G\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
        return s;
    }

    private static JsonNode await(TestServer s, String group, Predicate<JsonNode> done, int seconds) {
        return s.await("/api/v1/groups/" + group, done, Duration.ofSeconds(seconds));
    }

    private static long inRotation(JsonNode g) {
        long n = 0;
        for (JsonNode m : g.path("members")) if (m.path("in_rotation").asBoolean()) n++;
        return n;
    }

    @Test
    void growsUnderAMetricAndShrinksWithDrainWithoutAFailedRequest() throws Exception {
        String dc = TestServer.uniqueDatacenter();
        TestServer s = server(dc, 3);
        var created = s.post("/api/v1/groups", """
                {"name":"web","memory":"64M","port":80,"min":2,"max":5,"target":"metric:queue=10","scale_in_window_s":1}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String endpoint = created.json().path("endpoint").asText();
        assertThat(endpoint).startsWith("127.0.0.1:");
        Guests guests = new Guests(s.server.store(), "web");
        open.add(guests);

        JsonNode two = await(s, "web", g -> inRotation(g) == 2, 30);
        assertThat(two.path("desired").asInt()).isEqualTo(2);
        // soft anti-affinity: the two members are on different hosts
        assertThat(new HashSet<>(two.findValuesAsText("host"))).hasSize(2);

        var stop = new AtomicBoolean();
        var ok = new AtomicInteger();
        var failed = new ConcurrentHashMap<String, Integer>();
        Thread load = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    var r = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/")).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) ok.incrementAndGet();
                    else failed.merge("HTTP " + r.statusCode(), 1, Integer::sum);
                } catch (Exception e) {
                    failed.merge(e.toString(), 1, Integer::sum);
                }
            }
        });
        var queue = new java.util.concurrent.atomic.AtomicReference<Double>(25.0);
        Thread pusher = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                JsonNode g = s.get("/api/v1/groups/web").json();
                for (JsonNode m : g.path("members")) {
                    if (!m.path("in_rotation").asBoolean()) continue;
                    s.post("/api/v1/groups/web/metrics", "{\"member\":\"" + m.path("name").asText() + "\",\"name\":\"queue\",\"value\":" + queue.get() + "}");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            // 25 per member on 2 members against a target of 10: 50 / 10 = 5 members
            JsonNode five = await(s, "web", g -> inRotation(g) == 5, 30);
            assertThat(five.path("desired").asInt()).isEqualTo(5);
            assertThat(five.path("decisions").get(0).path("reason").asText())
                    .contains("queue 25 per member over 2 ready, target metric:queue=10: recommends 5");
            // the load falls: back to min in one step once the 1 s window passed, the 3 surplus members drained
            queue.set(1.0);
            JsonNode back = await(s, "web", g -> g.path("members").size() == 2 && inRotation(g) == 2, 40);
            assertThat(back.path("desired").asInt()).isEqualTo(2);
            assertThat(back.path("decisions").get(0).path("reason").asText()).contains("scale in 5 -> 2");
        } finally {
            stop.set(true);
            load.join();
            pusher.join();
        }
        assertThat(failed).as("failed requests through the group's endpoint").isEmpty();
        assertThat(ok.get()).isGreaterThan(50);
        assertThat(guests.mostMembers.get()).isLessThanOrEqualTo(5);
        var types = s.get("/api/v1/events?limit=1000").json().findValuesAsText("type");
        assertThat(types).contains("group.created", "group.scaled", "group.joined", "group.left");
        // healthy members: none was ever taken for failed (a member is stopped between define and start: not a failure)
        assertThat(s.get("/api/v1/events?limit=1000").json().findValuesAsText("message")).noneMatch(m -> m.contains("failed"));
        // the VMs of the members that left are deleted
        s.await("/api/v1/vms", vms -> vms.size() == 2, Duration.ofSeconds(20));
    }

    private static List<String> named(JsonNode g, String state) {
        var out = new ArrayList<String>();
        for (JsonNode m : g.path("members")) if (m.path("state").asText().equals(state)) out.add(m.path("name").asText());
        return out;
    }

    @Test
    void aWarmPoolIsResumedFirstAndRefilledNeverPastMax() throws Exception {
        String dc = TestServer.uniqueDatacenter();
        TestServer s = server(dc, 3);
        var created = s.post("/api/v1/groups", """
                {"name":"pool","memory":"64M","port":80,"min":1,"max":4,"target":"metric:queue=10","scale_in_window_s":1,"warm":2}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().path("rules").path("warm").asInt()).isEqualTo(2);
        Guests guests = new Guests(s.server.store(), "pool");
        open.add(guests);
        // one member in rotation, two built, answering, then suspended: in the pool, out of HAProxy
        JsonNode ready = await(s, "pool", g -> inRotation(g) == 1 && named(g, "warm").size() == 2, 40);
        List<String> warm = named(ready, "warm");
        for (JsonNode m : ready.path("members")) {
            if (warm.contains(m.path("name").asText())) assertThat(m.path("vm_state").asText()).isEqualTo("paused");
        }

        var stop = new AtomicBoolean();
        var queue = new java.util.concurrent.atomic.AtomicReference<Double>(25.0);
        Thread pusher = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                // a total queue of QUEUE spread over the members in rotation (so the load does not grow with the group)
                var members = s.get("/api/v1/groups/pool").json().path("members");
                var rotating = new ArrayList<String>();
                for (JsonNode m : members) if (m.path("in_rotation").asBoolean()) rotating.add(m.path("name").asText());
                for (String m : rotating) {
                    s.post("/api/v1/groups/pool/metrics", "{\"member\":\"" + m + "\",\"name\":\"queue\",\"value\":" + queue.get() / rotating.size() + "}");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            // a queue of 25 against 10 per member: 3 members; the two warm ones are resumed (no cold launch) and join rotation
            JsonNode three = await(s, "pool", g -> inRotation(g) == 3, 30);
            List<String> rotating = new ArrayList<>();
            for (JsonNode m : three.path("members")) if (m.path("in_rotation").asBoolean()) rotating.add(m.path("name").asText());
            assertThat(rotating).containsAll(warm);
            // the pool refills with the room max leaves: 3 active + 1 warm = 4 = max, never more
            JsonNode refilled = await(s, "pool", g -> named(g, "warm").size() == 1 && g.path("members").size() == 4, 40);
            assertThat(refilled.path("decisions").findValuesAsText("reason")).anyMatch(r -> r.contains("resume 2 warm"));
            // load falls: back to 1 in rotation, and the pool refills to 2
            queue.set(1.0);
            await(s, "pool", g -> inRotation(g) == 1 && named(g, "warm").size() == 2 && g.path("members").size() == 3, 40);
        } finally {
            stop.set(true);
            pusher.join();
        }
        assertThat(guests.mostMembers.get()).as("members, warm ones included, never past max").isLessThanOrEqualTo(4);
        // bad input: a pool that leaves no room for min
        var bad = s.send(s.request("/api/v1/groups/pool").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"warm\":4}")).build());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("warm (4) must not be greater than max - min (3): warm members count toward max");
    }

    /** Three threads sending requests through {@code endpoint} back to back until {@code stop}; non-200s and errors counted. */
    private List<Thread> load(String endpoint, AtomicBoolean stop, AtomicInteger failed) {
        var load = new ArrayList<Thread>();
        for (int t = 0; t < 3; t++) {
            load.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        var r = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/")).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) failed.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        return load;
    }

    @Test
    void tracksRequestRateFromHaproxyAndRestartsAHaproxyThatDied() throws Exception {
        String dc = TestServer.uniqueDatacenter();
        TestServer s = server(dc, 2);
        var created = s.post("/api/v1/groups", """
                {"name":"api","memory":"64M","port":80,"min":1,"max":4,"target":"rps=20","scale_in_window_s":1}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String endpoint = created.json().path("endpoint").asText();
        Guests guests = new Guests(s.server.store(), "api");
        open.add(guests);
        await(s, "api", g -> inRotation(g) == 1, 30);

        // a HAProxy that dies is started again by the server, and the members join it again
        long pid = pid(s);
        ProcessHandle haproxy = ProcessHandle.of(pid).orElseThrow();
        assertThat(haproxy.destroyForcibly()).isTrue();
        haproxy.onExit().get();
        s.await("/api/v1/events?limit=1000", ev -> ev.findValuesAsText("message").stream()
                .filter(m -> m.startsWith("HAProxy for group api started")).count() == 2, Duration.ofSeconds(20));
        assertThat(pid(s)).isNotEqualTo(pid);
        await(s, "api", g -> inRotation(g) == 1 && g.path("balancer").asText().equals("running"), 20);

        // far more than 20 requests per second per member: out to max, measured by HAProxy
        var stop = new AtomicBoolean();
        var failed = new AtomicInteger();
        var load = load(endpoint, stop, failed);
        try {
            JsonNode four = await(s, "api", g -> inRotation(g) == 4, 30);
            assertThat(four.path("decisions").findValuesAsText("reason")).anySatisfy(r -> assertThat(r).matches("rps \\d+.*target rps=20.*"));
        } finally {
            stop.set(true);
            for (Thread t : load) t.join();
        }
        assertThat(failed.get()).isZero();
        // no requests: back to min
        JsonNode one = await(s, "api", g -> g.path("members").size() == 1 && inRotation(g) == 1, 40);
        assertThat(one.path("decisions").get(0).path("reason").asText()).contains("rps 0 per member");
    }

    /**
     * The scale-out fast path: with an evaluation period of 10 minutes only the probe can see the load, so a scale-out
     * within seconds is its doing (and says so); when the load stops, nothing scales in before the period.
     */
    @Test
    void theScaleOutProbeEvaluatesAtOnceUnderLoadAndNeverScalesIn() throws Exception {
        System.setProperty("polyvisor.groups.interval-ms", "600000");
        TestServer s;
        try {
            s = server(TestServer.uniqueDatacenter(), 2);
        } finally {
            System.setProperty("polyvisor.groups.interval-ms", PROPS.get("polyvisor.groups.interval-ms"));
        }
        var created = s.post("/api/v1/groups", """
                {"name":"quick","memory":"64M","port":80,"min":1,"max":3,"target":"rps=20","scale_in_window_s":1}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String endpoint = created.json().path("endpoint").asText();
        open.add(new Guests(s.server.store(), "quick"));
        await(s, "quick", g -> inRotation(g) == 1, 30); // the first evaluation, then follow-ups while it joins
        // the follow-ups (every check interval, 100 ms here) stop once an evaluation saw the member in rotation
        s.await("/api/v1/events?limit=1000", ev -> ev.findValuesAsText("type").contains("group.joined"), Duration.ofSeconds(10));
        Thread.sleep(1000);

        var stop = new AtomicBoolean();
        var failed = new AtomicInteger();
        var load = load(endpoint, stop, failed);
        JsonNode grown;
        try {
            grown = await(s, "quick", g -> inRotation(g) == 3, 30);
        } finally {
            stop.set(true);
            for (Thread t : load) t.join();
        }
        assertThat(failed.get()).isZero();
        assertThat(grown.path("decisions").findValuesAsText("reason"))
                .anySatisfy(r -> assertThat(r).contains("scale out").contains("(evaluated early: load ").contains("rps=20 + 10 % tolerance"));
        // no load now, and a 1 s scale-in window: only an evaluation could scale in, and none comes before the period
        Thread.sleep(4000);
        JsonNode still = s.get("/api/v1/groups/quick").json();
        assertThat(inRotation(still)).isEqualTo(3);
        assertThat(still.path("desired").asInt()).isEqualTo(3);
    }

    @Test
    void tracksVmCpuFromTheDriversStats() throws Exception {
        String dc = TestServer.uniqueDatacenter();
        TestServer s = server(dc, 3);
        var sim = SimDatacenter.named(dc);
        var cpu = new java.util.concurrent.atomic.AtomicReference<Double>(0.2);
        var stop = new AtomicBoolean();
        // every member of the group runs at the CPU fraction the test sets (the simulator's load model)
        Thread loads = Thread.ofPlatform().daemon().start(() -> {
            while (!stop.get()) {
                for (Vm vm : GroupController.members(s.server.store().vms(), "calc")) {
                    try {
                        sim.setLoad(vm.id(), new io.polyvisor.sim.LoadModel.Constant(cpu.get(), 0.1));
                    } catch (RuntimeException notDefinedYet) {
                        // the member's VM is not on a host yet: next round
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            Guests guests = new Guests(s.server.store(), "calc");
            open.add(guests);
            var created = s.post("/api/v1/groups", """
                    {"name":"calc","memory":"64M","port":80,"min":1,"max":3,"target":"cpu=50","scale_in_window_s":1}""");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            JsonNode one = await(s, "calc", g -> inRotation(g) == 1 && g.path("last_evaluation").path("reason").asText().startsWith("cpu 20%"), 30);
            assertThat(one.path("desired").asInt()).isEqualTo(1);
            cpu.set(1.0); // 100 % per member against a target of 50 %: out, until max
            JsonNode three = await(s, "calc", g -> inRotation(g) == 3, 30);
            assertThat(three.path("decisions").findValuesAsText("reason")).anySatisfy(r -> assertThat(r).startsWith("cpu 100% per member"));
            cpu.set(0.1); // 10 % on 3 members: 30 % in all, one member is enough
            await(s, "calc", g -> g.path("members").size() == 1 && inRotation(g) == 1, 40);
            assertThat(s.get("/api/v1/events?limit=1000").json().findValuesAsText("message")).noneMatch(m -> m.contains("failed"));
        } finally {
            stop.set(true);
            loads.join();
        }
    }

    @Test
    void aGroupSurvivesAServerRestartOnItsEndpoint() throws Exception {
        String dc = TestServer.uniqueDatacenter();
        String endpoint;
        List<String> names;
        try (TestServer s = TestServer.start(data, 0);
             Guests guests = new Guests(s.server.store(), "keep")) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1?cpus=16&memory=32G\"}").status()).isEqualTo(201);
            var created = s.post("/api/v1/groups", """
                    {"name":"keep","memory":"64M","port":80,"min":2,"max":3}""");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            endpoint = created.json().path("endpoint").asText();
            names = await(s, "keep", g -> inRotation(g) == 2, 30).findValuesAsText("name").stream().filter(n -> n.startsWith("keep-")).toList();
        }
        // the server (and with it HAProxy) is down; the simulated hosts keep the members running
        try (TestServer s = TestServer.start(data, 0);
             Guests guests = new Guests(s.server.store(), "keep")) {
            JsonNode g = await(s, "keep", x -> inRotation(x) == 2, 30);
            assertThat(g.path("endpoint").asText()).isEqualTo(endpoint);
            assertThat(g.path("members").findValuesAsText("name")).containsExactlyInAnyOrderElementsOf(names);
            var r = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(names).contains(r.body());
        }
    }

    /** The pid of the group api's HAProxy, from the newest event that started it. */
    private static long pid(TestServer s) {
        var started = s.get("/api/v1/events?limit=1000").json().findValuesAsText("message").stream()
                .filter(m -> m.startsWith("HAProxy for group api started")).toList();
        String m = started.getLast();
        return Long.parseLong(m.substring(m.indexOf("(pid ") + 5, m.indexOf(')', m.indexOf("(pid "))));
    }

    @Test
    void injectedStartFailuresNeverTakeTheGroupPastMax() throws Exception {
        String dc = TestServer.uniqueDatacenter();
        TestServer s = server(dc, 2);
        var sim = SimDatacenter.named(dc);
        sim.failNext("h1", Operation.START, 1000);
        sim.failNext("h2", Operation.START, 1000);
        Guests guests = new Guests(s.server.store(), "flaky");
        open.add(guests);
        try {
            var created = s.post("/api/v1/groups", """
                    {"name":"flaky","memory":"64M","port":80,"min":2,"max":2}""");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            // every start fails: members fail and are replaced, again and again, for 5 s
            s.await("/api/v1/events?limit=1000", ev -> ev.findValuesAsText("message").stream()
                    .filter(m -> m.contains("(failed; replaced once it is gone)")).count() >= 4, Duration.ofSeconds(30));
            Thread.sleep(3000);
            assertThat(guests.mostMembers.get()).as("members that existed at once").isLessThanOrEqualTo(2);
            JsonNode g = s.get("/api/v1/groups/flaky").json();
            assertThat(g.path("members").size()).isLessThanOrEqualTo(2);
            assertThat(g.path("decisions").findValuesAsText("reason")).anySatisfy(r -> assertThat(r)
                    .containsPattern("launch held to 0: 2 members exist \\(.*failed\\), max 2; remove [12] failed"));
            // the hosts heal: the group reaches its two members in rotation
            sim.failNext("h1", Operation.START, 0);
            sim.failNext("h2", Operation.START, 0);
            await(s, "flaky", x -> inRotation(x) == 2, 30);
            assertThat(guests.mostMembers.get()).isLessThanOrEqualTo(2);
        } finally {
            sim.failNext("h1", Operation.START, 0);
            sim.failNext("h2", Operation.START, 0);
        }
    }

    @Test
    void hostileInputIsRefusedAndLeavesNothing() throws Exception {
        String dc = TestServer.uniqueDatacenter();
        TestServer s = server(dc, 1);
        var minOverMax = s.post("/api/v1/groups", "{\"name\":\"a\",\"memory\":\"64M\",\"port\":80,\"min\":5,\"max\":2}");
        assertThat(minOverMax.status()).isEqualTo(400);
        assertThat(minOverMax.contentType()).startsWith("application/problem+json");
        assertThat(minOverMax.json().path("detail").asText()).isEqualTo("min (5) must not be greater than max (2)");
        var unknownMetric = s.post("/api/v1/groups", "{\"name\":\"a\",\"memory\":\"64M\",\"port\":80,\"max\":2,\"target\":\"memory=50\"}");
        assertThat(unknownMetric.status()).isEqualTo(400);
        assertThat(unknownMetric.json().path("detail").asText())
                .isEqualTo("unknown target metric 'memory': use cpu=PERCENT, rps=N or metric:NAME=V");
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            var inUse = s.post("/api/v1/groups", "{\"name\":\"a\",\"memory\":\"64M\",\"port\":80,\"max\":2,\"listen_port\":" + port + "}");
            assertThat(inUse.status()).isEqualTo(409);
            assertThat(inUse.contentType()).startsWith("application/problem+json");
            assertThat(inUse.json().path("detail").asText()).isEqualTo("port " + port + " on 127.0.0.1 is in use");
        }
        var badPath = s.post("/api/v1/groups", "{\"name\":\"a\",\"memory\":\"64M\",\"port\":80,\"max\":2,\"health_path\":\"/x\\nbind *:80\"}");
        assertThat(badPath.status()).isEqualTo(400);
        assertThat(badPath.json().path("detail").asText()).startsWith("health path must start with / and hold only letters, digits");
        var ok = s.post("/api/v1/groups", "{\"name\":\"b\",\"memory\":\"64M\",\"port\":80,\"max\":2,\"min\":0,\"health_path\":\"/health\"}");
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        assertThat(ok.json().path("health_path").asText()).isEqualTo("/health");
        assertThat(s.get("/api/v1/groups/b").json().path("health_path").asText()).isEqualTo("/health");
        int port = Integer.parseInt(ok.json().path("endpoint").asText().split(":")[1]);
        var samePort = s.post("/api/v1/groups", "{\"name\":\"c\",\"memory\":\"64M\",\"port\":80,\"max\":2,\"listen_port\":" + port + "}");
        assertThat(samePort.status()).isEqualTo(409);
        assertThat(samePort.json().path("detail").asText()).isEqualTo("port " + port + " is already the endpoint of group b");
        var scaleTracked = s.post("/api/v1/groups/b/scale", "{\"desired\":5}");
        assertThat(scaleTracked.status()).isEqualTo(400);
        assertThat(scaleTracked.json().path("detail").asText()).isEqualTo("desired must be between min 0 and max 2, got 5");
        // nothing half made: only b exists, no VM was created, no HAProxy but b's listens
        assertThat(s.get("/api/v1/groups").json().findValuesAsText("name")).containsExactly("b");
        assertThat(s.server.store().vms()).isEmpty();
        assertThat(s.get("/api/v1/groups/a").status()).isEqualTo(404);
        // delete: b (no members) goes, with its HAProxy
        assertThat(s.delete("/api/v1/groups/b").status()).isEqualTo(202);
        s.await("/api/v1/groups", gs -> gs.isEmpty(), Duration.ofSeconds(10));
        try (var again = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port); // the endpoint's port is free again
        }
    }
}
