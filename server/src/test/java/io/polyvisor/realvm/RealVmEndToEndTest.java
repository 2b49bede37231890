package io.polyvisor.realvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import io.polyvisor.libvirt.LibvirtDriver;
import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.libvirt.TinyGuest;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real guests through Polyvisor's REST API, on two real libvirt hosts of the test fleet (scripts/test-hosts):
 * the tiny guest boots, answers HTTP with its name through the forwarded loopback port, keeps answering on
 * the same address after a live migration, stops and is deleted; a QEMU process killed, or a domain
 * destroyed, outside Polyvisor is seen as failed at once (libvirt events); hostile input is refused at the API or
 * reaches libvirt as escaped text. Fails when libvirt is missing.
 */
class RealVmEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static TestServer api;
    static List<URI> fleet;

    @BeforeAll
    static void start() {
        fleet = TestFleet.up(2);
        TinyGuest.image();
        api = TestServer.start(data, 0);
        for (int i = 0; i < 2; i++) {
            var r = api.post("/api/v1/hosts", "{\"uri\":\"" + fleet.get(i) + "\",\"name\":\"h" + (i + 1) + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            assertThat(r.json().path("driver").asText()).isEqualTo("libvirt");
        }
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    @Test
    void guestAnswersThroughItsPortStaysUpAcrossLiveMigrationThenStopsAndIsDeleted() throws Exception {
        var img = TinyGuest.image();
        var created = cli("vm", "create", "web1", "--vcpus", "1", "--memory", "128M", "--host", "h1", "--kernel", img.kernel().toString(),
                "--initrd", img.initrd().toString(), "--cmdline", img.cmdline(), "--expose", "80", "-o", "json");
        assertThat(created.path("task").path("status").asText()).isEqualTo("succeeded");
        var id = UUID.fromString(created.path("vm").path("id").asText());
        var vm = api.await("/api/v1/vms/web1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(30));
        assertThat(vm.path("id").asText()).isEqualTo(id.toString());
        assertThat(vm.path("host").asText()).isEqualTo("h1");
        var shown = cli("vm", "show", "web1", "-o", "json");
        var address = shown.path("endpoints").get(0).path("address").asText();
        assertThat(address).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(shown.path("endpoints").get(0).path("guest_port").asInt()).isEqualTo(80);
        assertThat(GuestHttp.awaitBody(address, "/", Duration.ofSeconds(60))).isEqualTo("web1");
        assertThat(GuestHttp.awaitBody(address, "/health", Duration.ofSeconds(5))).isEqualTo("web1");
        var withUsage = api.await("/api/v1/vms/web1", v -> v.path("usage").path("memory_bytes").asLong() > 0, Duration.ofSeconds(15));
        assertThat(withUsage.path("usage").path("memory_bytes").asLong()).as("QEMU's RSS from libvirt stats")
                .isBetween(16L << 20, 1L << 30);
        assertThat(api.get("/metrics").text()).contains("web1");

        // live migration h1 -> h2 while a client keeps asking
        var probing = new AtomicBoolean(true);
        var answered = new AtomicLong();
        var longestGapMillis = new AtomicLong();
        var progressSeen = new java.util.concurrent.CopyOnWriteArrayList<Double>();
        var prober = Thread.ofPlatform().daemon().start(() -> {
            long lastOk = System.nanoTime();
            while (probing.get()) {
                var tasks = api.get("/api/v1/tasks?limit=1").json();
                if (tasks.size() == 1 && tasks.get(0).path("kind").asText().equals("migrate")
                        && tasks.get(0).path("result").has("progress")) {
                    double p = tasks.get(0).path("result").path("progress").asDouble();
                    if (progressSeen.isEmpty() || progressSeen.get(progressSeen.size() - 1) != p) progressSeen.add(p);
                }
                if ("web1".equals(GuestHttp.get(address, "/health"))) {
                    answered.incrementAndGet();
                    longestGapMillis.accumulateAndGet((System.nanoTime() - lastOk) / 1_000_000, Math::max);
                    lastOk = System.nanoTime();
                }
                GuestHttp.pause(50);
            }
        });
        var migrated = cli("vm", "migrate", "web1", "--to", "h2", "-o", "json"); // waits for the task
        var task = migrated.path("task");
        assertThat(task.path("status").asText()).isEqualTo("succeeded");
        assertThat(migrated.path("vm").path("host").asText()).isEqualTo("h2");
        assertThat(GuestHttp.awaitBody(address, "/health", Duration.ofSeconds(10))).isEqualTo("web1");
        GuestHttp.pause(500);
        probing.set(false);
        prober.join();
        var result = task.path("result");
        assertThat(result.path("progress").asText()).isEqualTo("1.0");
        assertThat(progressSeen).as("progress on the task, as the API showed it").isNotEmpty().isSorted()
                .allSatisfy(p -> assertThat(p).isBetween(0.0, 1.0));
        System.out.println("migration progress seen through the API: " + progressSeen);
        assertThat(result.path("total_ms").asLong()).isPositive();
        assertThat(result.path("downtime_ms").asLong()).isBetween(0L, result.path("total_ms").asLong());
        assertThat(result.path("bytes_transferred").asLong()).isPositive();
        System.out.printf("live migration: total %d ms, downtime %d ms (QEMU), longest HTTP gap %d ms, %d answers%n",
                result.path("total_ms").asLong(), result.path("downtime_ms").asLong(), longestGapMillis.get(), answered.get());
        assertThat(longestGapMillis.get()).as("the guest's port is forwarded again right after the switch-over")
                .isLessThan(5_000);
        vm = api.get("/api/v1/vms/web1").json();
        assertThat(vm.path("host").asText()).isEqualTo("h2");
        assertThat(vm.path("state").asText()).isEqualTo("running");
        assertThat(vm.path("endpoints").get(0).path("address").asText()).as("same address after migration").isEqualTo(address);
        try (var h1 = new LibvirtDriver().connect(fleet.get(0)); var h2 = new LibvirtDriver().connect(fleet.get(1))) {
            assertThat(h1.compute().lookup(id)).as("gone from h1").isEmpty();
            assertThat(h2.compute().lookup(id)).as("defined on h2").isPresent();
        }

        var stop = api.post("/api/v1/vms/web1/stop", "{}");
        assertThat(stop.status()).as(stop.text()).isEqualTo(202);
        assertThat(awaitTask(stop.json().path("id").asText(), Duration.ofSeconds(60)).path("result").path("forced").asText())
                .as("the guest powered off on ACPI shutdown").isEqualTo("false");
        assertThat(api.get("/api/v1/vms/web1").json().path("state").asText()).isEqualTo("stopped");
        assertThat(GuestHttp.get(address, "/")).as("nothing answers once stopped").isNull();

        var del = api.delete("/api/v1/vms/web1");
        assertThat(del.status()).as(del.text()).isEqualTo(202);
        awaitTask(del.json().path("id").asText(), Duration.ofSeconds(30));
        assertThat(api.get("/api/v1/vms/web1").status()).isEqualTo(404);
        try (var h2 = new LibvirtDriver().connect(fleet.get(1))) {
            assertThat(h2.compute().lookup(id)).as("undefined on h2").isEmpty();
        }
    }

    @Test
    void vmKilledOrDestroyedOutsidePolyvisorIsSeenAsFailedAtOnce() throws Exception {
        var created = api.post("/api/v1/vms", createBody("victim", "h1", "[]"));
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        var id = UUID.fromString(created.json().path("vm").path("id").asText());
        awaitTask(created.json().path("task").path("id").asText(), Duration.ofSeconds(60));
        api.await("/api/v1/vms/victim", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(30));

        // kill -9 of its QEMU process, as a crash or an OOM kill would
        var pidFile = TestFleet.hostDir(1).resolve("run/qemu/victim.pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long t0 = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        var failed = api.await("/api/v1/vms/victim", v -> v.path("state").asText().equals("failed"), Duration.ofSeconds(10));
        long killSeenMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(failed.path("state_detail").asText()).contains("h1");

        // start it again through Polyvisor, then destroy it with libvirt directly
        var start = api.post("/api/v1/vms/victim/start", "{}");
        assertThat(start.status()).as(start.text()).isEqualTo(202);
        awaitTask(start.json().path("id").asText(), Duration.ofSeconds(60));
        api.await("/api/v1/vms/victim", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(30));
        long destroySeenMillis;
        try (var h1 = new LibvirtDriver().connect(fleet.get(0))) {
            t0 = System.nanoTime();
            h1.compute().destroy(id);
            failed = api.await("/api/v1/vms/victim", v -> v.path("state").asText().equals("failed"), Duration.ofSeconds(10));
            destroySeenMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        assertThat(failed.path("state_detail").asText()).contains("stopped outside Polyvisor");
        System.out.printf("seen as failed: QEMU killed %d ms, destroyed outside %d ms%n", killSeenMillis, destroySeenMillis);
        // the bound; libvirt's events make it (LibvirtEventsTest measures the event alone)
        assertThat(killSeenMillis).isLessThan(1_000);
        assertThat(destroySeenMillis).isLessThan(1_000);

        var del = api.delete("/api/v1/vms/victim");
        awaitTask(del.json().path("id").asText(), Duration.ofSeconds(30));
    }

    @Test
    void hostileInputIsRefusedAtTheEdgeOrEscapedIntoTheDomainXml() throws Exception {
        var img = TinyGuest.image();
        var refused = java.util.Map.of(
                "{\"name\":\"web'1\",\"vcpus\":1,\"memory\":\"128M\"}", "VM name must be 1-63 characters",
                "{\"name\":\"web1x\",\"vcpus\":1,\"memory\":\"128M\",\"labels\":{\"tier\":\"<b>]]>\"}}", "label value for 'tier' must be",
                "{\"name\":\"web1x\",\"vcpus\":1,\"memory\":\"128M\",\"boot\":{\"kernel\":\"/var/tmp/../../etc/shadow\"}}",
                "kernel path must not contain '.' or '..' segments");
        refused.forEach((body, message) -> {
            var r = api.post("/api/v1/vms", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.detail()).as(body).contains(message);
        });

        // a command line full of markup is legal input: it must reach libvirt as text, unchanged
        var cmdline = img.cmdline() + " x='1' y=\"2\" </cmdline><devices><disk/></devices> ]]> &amp;";
        var body = JSON.createObjectNode().put("name", "markup").put("vcpus", 1).put("memory", "128M").put("host", "h1").put("start", false);
        body.putObject("boot").put("kernel", img.kernel().toString()).put("initrd", img.initrd().toString()).put("cmdline", cmdline);
        var created = api.post("/api/v1/vms", body.toString());
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        awaitTask(created.json().path("task").path("id").asText(), Duration.ofSeconds(30));
        try (var h1 = new LibvirtDriver().connect(fleet.get(0))) {
            var id = UUID.fromString(created.json().path("vm").path("id").asText());
            assertThat(h1.compute().lookup(id)).isPresent();
            var xml = virshDumpxml(fleet.get(0), "markup");
            var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            var xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
            assertThat(xp.evaluate("/domain/os/cmdline", doc)).isEqualTo(cmdline);
            assertThat(xp.evaluate("count(//disk)", doc)).isEqualTo("0");
        }
        awaitTask(api.delete("/api/v1/vms/markup").json().path("id").asText(), Duration.ofSeconds(30));

        // a kernel outside the host's image roots is refused by the driver: the create task fails, saying why
        var outside = JSON.createObjectNode().put("name", "outside").put("vcpus", 1).put("memory", "128M").put("host", "h1");
        outside.putObject("boot").put("kernel", "/etc/shadow");
        var r = api.post("/api/v1/vms", outside.toString());
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        var task = api.await("/api/v1/tasks/" + r.json().path("task").path("id").asText(),
                j -> j.path("status").asText().matches("succeeded|failed"), Duration.ofSeconds(30));
        assertThat(task.path("status").asText()).isEqualTo("failed");
        assertThat(task.path("error").asText()).contains("kernel path must be under one of");
        assertThat(api.get("/api/v1/vms/outside").json().path("state").asText()).isEqualTo("failed");
        api.delete("/api/v1/vms/outside");
    }

    private static String virshDumpxml(URI host, String domain) throws Exception {
        var p = new ProcessBuilder("virsh", "-c", host.toString(), "dumpxml", domain).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /** Runs the polyvisor CLI against the test server and returns its JSON output; fails on a non-zero exit. */
    private static JsonNode cli(String... args) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = Main.run(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                Map.of("POLYVISOR_URL", api.server.url().toString(), "POLYVISOR_TOKEN", api.server.token()));
        var text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(code).as("polyvisor %s: %s %s", String.join(" ", args), text, err.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
        return new ObjectMapper().readTree(text);
    }

    private static String createBody(String name, String host, String expose) {
        var img = TinyGuest.image();
        return """
                {"name":"%s","vcpus":1,"memory":"128M","host":"%s","expose":%s,
                 "boot":{"kernel":"%s","initrd":"%s","cmdline":"%s"}}""".formatted(name, host, expose, img.kernel(), img.initrd(), img.cmdline());
    }

    private static JsonNode awaitTask(String taskId, Duration timeout) {
        var t = api.await("/api/v1/tasks/" + taskId, j -> j.path("status").asText().matches("succeeded|failed|cancelled"), timeout);
        assertThat(t.path("status").asText()).as("task %s", t).isEqualTo("succeeded");
        return t;
    }
}
