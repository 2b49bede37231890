package io.polyvisor.realvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyDisk;
import io.polyvisor.libvirt.Fleet;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HA restart from a shared pool on three real libvirt hosts (scripts/test-hosts, fence agents as in production), through
 * the CLI: pool {@code shared1} is a directory that every fleet host declares. All fleet hosts run on this one machine,
 * each libvirtd in its own mount namespace with private {@code /var/lib/libvirt} but the same view of
 * {@code /var/tmp}, so a directory there is seen by every host at the same path: a faithful stand-in for an NFS export
 * they all mount (the pool declaration itself checks that every host sees a probe volume made through another).
 * The tiny guest {@code db} ({@code --protect restart}) boots on h1 from a volume in the shared pool and writes a note on
 * it, then is live-migrated to h3 without a disk copy (the note is still there, no host's local pool holds a copy);
 * {@code loc} ({@code --protect restart}) boots on h3 from a volume in h3's local pool. h3's daemon and QEMU processes
 * are killed: db runs again on h1 or h2 and answers the note written before the failure from the same volume; loc, which
 * {@code ha status} reported as not restartable, is not restarted anywhere. Fails (never skips) when libvirt
 * or QEMU is missing.
 */
class SharedPoolHaRealTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DISK_DIR = Path.of("/var/tmp/polyvisor-test/tiny-disk");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;
    Fleet fleet;
    TestServer api;
    Path shared;

    @AfterEach
    void stop() throws IOException {
        if (api != null) api.close();
        if (fleet != null) fleet.down();
        if (shared != null && Files.exists(shared)) {
            try (var files = Files.walk(shared)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void aVmOnASharedPoolIsRestartedOnAnotherHostWithItsDataAndAVmOnLocalDisksIsNot() throws Exception {
        var tiny = new ImageKit(ImageKit.defaultCache()).ensureTinyDisk(DISK_DIR);
        fleet = new Fleet(work.resolve("hosts"));
        var uris = fleet.up(3);
        // QEMU runs as libvirt-qemu on the fleet hosts: the folder must be reachable by it (libvirt makes its files its own)
        shared = Files.createDirectories(Path.of("/var/tmp/polyvisor-test")).resolve("shared-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(shared, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        api = TestServer.start(work.resolve("data"), 0);
        String agent = Fleet.find("scripts/fence_polyvisor_test_host").toString();
        for (int i = 1; i <= 3; i++) {
            var r = api.post("/api/v1/hosts", "{\"uri\":\"" + uris.get(i - 1) + "\",\"name\":\"h" + i + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            var f = api.send(api.request("/api/v1/ha/hosts/h" + i + "/fence-agent").header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("agent", agent,
                            "options", Map.of("plug", Integer.toString(i), "base", fleet.base().toString()))))).build());
            assertThat(f.status()).as(f.text()).isEqualTo(200);
        }
        api.await("/api/v1/ha/status", s -> {
            int ok = 0;
            for (JsonNode h : s.path("hosts")) ok += h.path("state").asText().equals("connected") && h.path("health").asText().equals("healthy") ? 1 : 0;
            return ok == 3;
        }, Duration.ofSeconds(60));

        var pool = cli("pool", "create", "shared1", "--shared", "--path", shared.toString(), "--host", "h1", "--host", "h2", "--host", "h3");
        assertThat(pool.path("hosts").toString()).isEqualTo("[\"h1\",\"h2\",\"h3\"]");
        cli("image", "import", "tiny", "--file", tiny.disk().toString(), "--format", "qcow2");
        var data = cli("volume", "create", "db-data", "--from", "tiny", "--size", "128M", "--pool", "shared1", "--host", "h1");
        assertThat(data.path("pool").asText()).isEqualTo("shared1");
        assertThat(Files.exists(shared.resolve("db-data.qcow2"))).as("the volume is a file in the shared directory").isTrue();

        var boot = tiny.boot();
        var common = new String[] {"--vcpus", "1", "--memory", "128M", "--kernel", boot.kernel().toString(), "--initrd",
                boot.initrd().toString(), "--cmdline", TinyDisk.CMDLINE, "--protect", "restart", "--expose", "80"};
        cli(concat(new String[] {"vm", "create", "db", "--disk", "db-data", "--priority", "5", "--host", "h1"}, common));
        cli(concat(new String[] {"vm", "create", "loc", "--image", "tiny", "--disk-size", "128M", "--host", "h3"}, common));
        var db = cli("vm", "show", "db");
        assertThat(db.path("host").asText()).isEqualTo("h1");
        assertThat(db.path("disks").get(0).path("pool").asText()).isEqualTo("shared1");
        String dbAddress = db.path("endpoints").get(0).path("address").asText();
        assertThat(GuestHttp.awaitBody(dbAddress, "/cgi-bin/note", Duration.ofSeconds(120))).as("a fresh disk").isEmpty();
        assertThat(GuestHttp.post(dbAddress, "/cgi-bin/note", "written on h1")).isEqualTo("written on h1");
        String locAddress = cli("vm", "show", "loc").path("endpoints").get(0).path("address").asText();
        assertThat(GuestHttp.awaitBody(locAddress, "/cgi-bin/note", Duration.ofSeconds(120))).isEmpty();
        assertThat(GuestHttp.post(locAddress, "/cgi-bin/note", "loc on h1")).isEqualTo("loc on h1");

        // a live migration between two hosts of the pool copies no disk: the guest keeps its volume and its note
        long m0 = System.nanoTime();
        cli("vm", "migrate", "db", "--to", "h3");
        double migrateS = (System.nanoTime() - m0) / 1e9;
        db = cli("vm", "show", "db");
        assertThat(db.path("host").asText()).isEqualTo("h3");
        dbAddress = db.path("endpoints").get(0).path("address").asText();
        assertThat(GuestHttp.awaitBody(dbAddress, "/cgi-bin/note", Duration.ofSeconds(60))).isEqualTo("written on h1");
        assertThat(Files.exists(shared.resolve("db-data.qcow2"))).isTrue();
        for (int i = 1; i <= 3; i++) {
            assertThat(Files.exists(fleet.base().resolve("h" + i + "/lib/polyvisor/db-data.qcow2")))
                    .as("no copy of the shared volume in h" + i + "'s local pool").isFalse();
        }
        System.out.printf("live migration of db (shared disk, no disk copy) h1 -> h3: %.1f s through the CLI%n", migrateS);

        var status = cli("ha", "status");
        for (JsonNode v : status.path("protected_vms")) {
            if (v.path("name").asText().equals("loc")) {
                assertThat(v.path("unprotected").asText())
                        .isEqualTo("its disks (loc-root) are volumes in host h3's local pool: HA cannot restart it on another host");
            } else {
                assertThat(v.path("unprotected").isNull()).as("db's disk is in shared pool shared1: " + v).isTrue();
            }
        }
        assertThat(status.path("protected_vms").findValuesAsText("name")).containsExactlyInAnyOrder("db", "loc");

        Instant killedAt = Instant.now();
        long k0 = System.nanoTime();
        fleet.kill(3);
        var after = api.await("/api/v1/vms/db", v -> v.path("state").asText().equals("running") && !v.path("host").asText().equals("h3"),
                Duration.ofSeconds(150));
        assertThat(after.path("host").asText()).isIn("h1", "h2");
        String newAddress = after.path("endpoints").get(0).path("address").asText();
        assertThat(GuestHttp.awaitBody(newAddress, "/cgi-bin/note", Duration.ofSeconds(120)))
                .as("the note written before the failure, read from the same volume on " + after.path("host").asText())
                .isEqualTo("written on h1");
        double restartS = (System.nanoTime() - k0) / 1e9;
        assertThat(GuestHttp.post(newAddress, "/cgi-bin/note", "written on " + after.path("host").asText()))
                .isEqualTo("written on " + after.path("host").asText());

        var loc = api.get("/api/v1/vms/loc").json();
        assertThat(loc.path("host").asText()).as("a VM on local disks is not restarted elsewhere").isEqualTo("h3");
        assertThat(loc.path("state").asText()).isNotEqualTo("running");
        var events = api.get("/api/v1/events?limit=1000").json();
        var types = new ArrayList<String>();
        for (JsonNode e : events) {
            if (Instant.parse(e.path("at").asText()).isBefore(killedAt)) continue;
            types.add(e.path("type").asText() + " " + e.path("subject").asText());
            System.out.printf("%+7.3f s  %s %s: %s%n", Duration.between(killedAt, Instant.parse(e.path("at").asText())).toNanos() / 1e9,
                    e.path("type").asText(), e.path("subject").asText(), e.path("message").asText());
        }
        assertThat(types).containsSubsequence("host.unreachable h3", "host.fenced h3", "vm.restarting db");
        assertThat(types).doesNotContain("vm.restarting loc");
        System.out.printf("shared-pool HA restart: db answered its note from %s %.1f s after h3 was killed%n", after.path("host").asText(), restartS);
    }

    private static String[] concat(String[] a, String[] b) {
        var out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private JsonNode cli(String... args) {
        return RealCli.run(api, args);
    }
}
