package io.polyvisor.realvm;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyDisk;
import io.polyvisor.libvirt.LibvirtDriver;
import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Templates and linked clones through the CLI on a real libvirt host of the test fleet: a VM booted from its own volume
 * writes a note, is stopped and made a template; ten linked clones of it boot (tiny guests, 128 MiB each, bounded by a
 * timeout) and each reads the template's note from its own copy-on-write disk; a note written in one clone is not seen
 * by another; the template cannot be deleted while a clone uses it, and deleting the clones frees it.
 */
class LinkedClonesRealTest {
    private static final Path DIR = Path.of("/var/tmp/polyvisor-test/tiny-disk");
    /**
     * Ten, as the issue asks. On 2026-12-03 the sixth clone's request failed three times with the fleet host's connection
     * declared lost; that day every lookup of libvirt's QEMU capabilities re-probed QEMU (0.62 s each, queued) because
     * /dev/kvm was open to the root daemon and not to QEMU's user. scripts/libvirt-up now sets Debian's permissions.
     */
    private static final int CLONES = 10;

    @TempDir
    static Path data;
    static TestServer api;
    static TinyDisk tiny;
    static URI host;

    @BeforeAll
    static void start() {
        tiny = new ImageKit(ImageKit.defaultCache()).ensureTinyDisk(DIR);
        host = TestFleet.up(1).get(0);
        // eleven 1-vCPU guests on a 2-core host: more than the default 4:1 CPU overcommit admits (tiny guests idle)
        try (var store = io.polyvisor.store.Stores.embedded(data)) {
            store.putSetting("placement", "{\"cpu_overcommit\":8.0}");
        }
        api = TestServer.start(data, 0);
        var r = api.post("/api/v1/hosts", "{\"uri\":\"" + host + "\",\"name\":\"h1\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    @Test
    void tenLinkedClonesOfATemplateBootFromTheirOwnCopyOnWriteDisks() {
        cli("image", "import", "tiny", "--file", tiny.disk().toString(), "--format", "qcow2");
        var boot = tiny.boot();
        cli("vm", "create", "gold", "--vcpus", "1", "--memory", "128M", "--kernel", boot.kernel().toString(),
                "--initrd", boot.initrd().toString(), "--cmdline", TinyDisk.CMDLINE, "--image", "tiny", "--disk-size", "128M",
                "--expose", "80");
        String gold = address("gold");
        GuestHttp.awaitBody(gold, "/cgi-bin/note", Duration.ofSeconds(90));
        assertThat(GuestHttp.post(gold, "/cgi-bin/note", "from-gold")).isEqualTo("from-gold");
        cli("vm", "stop", "gold");
        var template = cli("vm", "template", "gold", "tpl");
        assertThat(template.path("host").asText()).isEqualTo("h1");
        assertThat(template.path("disk_size_bytes").asLong()).isEqualTo(128L << 20);

        long t0 = System.nanoTime();
        var names = new ArrayList<String>();
        for (int i = 1; i <= CLONES; i++) {
            String name = "c" + i;
            var made = cli("vm", "clone", "tpl", name, "--linked");
            assertThat(made.path("volumes").get(0).asText()).isEqualTo(name + "-root");
            names.add(name);
        }
        long requested = System.nanoTime();
        var addresses = new LinkedHashMap<String, String>();
        for (String name : names) addresses.put(name, address(name));
        for (var e : addresses.entrySet()) {
            assertThat(GuestHttp.awaitBody(e.getValue(), "/cgi-bin/note", Duration.ofSeconds(240)))
                    .as(e.getKey() + " boots from its own disk, which holds the template's data").isEqualTo("from-gold");
        }
        System.out.printf("%d linked clones requested in %d ms; all answering from their disks %d ms after the first request%n",
                CLONES, (requested - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
        assertThat(GuestHttp.post(addresses.get("c1"), "/cgi-bin/note", "only-c1")).isEqualTo("only-c1");
        assertThat(GuestHttp.awaitBody(addresses.get("c2"), "/cgi-bin/note", Duration.ofSeconds(30)))
                .as("copy-on-write: one clone's writes are its own").isEqualTo("from-gold");

        try (var c = new LibvirtDriver().connect(host)) {
            for (String name : names) {
                assertThat(c.storage().volume(name + "-root")).as(name + "-root over the template's image")
                        .hasValueSatisfying(v -> assertThat(v.image()).isEqualTo("tpl"));
            }
            assertThat(c.storage().hasImage("tpl")).isTrue();
        }
        assertThat(api.delete("/api/v1/templates/tpl").status()).as("in use by the clones").isEqualTo(409);
        for (String name : names) cli("vm", "delete", name);
        api.await("/api/v1/templates/tpl", t -> t.path("used_by").isEmpty(), Duration.ofSeconds(60));
        cli("template", "delete", "tpl");
        try (var c = new LibvirtDriver().connect(host)) {
            assertThat(c.storage().hasImage("tpl")).isFalse();
            assertThat(c.storage().volume("c1-root")).isEmpty();
        }
        cli("vm", "delete", "gold");
        api.await("/api/v1/volumes", vs -> vs.isEmpty(), Duration.ofSeconds(30));
        cli("image", "delete", "tiny");
    }

    private static String address(String vm) {
        var v = api.await("/api/v1/vms/" + vm, j -> j.path("state").asText().equals("running") && j.path("endpoints").size() > 0,
                Duration.ofSeconds(120));
        return v.path("endpoints").get(0).path("address").asText();
    }

    private static JsonNode cli(String... args) {
        return RealCli.run(api, args);
    }
}
