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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage through Polyvisor's CLI and REST API on a real libvirt host of the test fleet: the tiny guest's disk image is
 * imported (checked by qemu-img, copied into the host's pool by libvirt's upload stream when the VM is created), the VM
 * boots with its root on its own copy-on-write volume, a note written inside the guest survives a stop and start, and
 * after a snapshot, a change and a revert the note is as at the snapshot; deleting the VM deletes its volume.
 */
class RealDiskTest {
    private static final Path DIR = Path.of("/var/tmp/polyvisor-test/tiny-disk");

    @TempDir
    static Path data;
    static TestServer api;
    static TinyDisk tiny;
    static URI host;

    @BeforeAll
    static void start() {
        tiny = new ImageKit(ImageKit.defaultCache()).ensureTinyDisk(DIR);
        host = TestFleet.up(1).get(0);
        api = TestServer.start(data, 0);
        var r = api.post("/api/v1/hosts", "{\"uri\":\"" + host + "\",\"name\":\"h1\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    @Test
    void aGuestBootedFromItsVolumeKeepsItsDataAcrossRestartsAndRevertsToASnapshot() throws Exception {
        var imported = cli("image", "import", "tiny", "--file", tiny.disk().toString(), "--format", "qcow2");
        assertThat(imported.path("virtual_size_bytes").asLong()).isEqualTo(TinyDisk.SIZE_MIB * 1024L * 1024L);
        var boot = tiny.boot();
        long t0 = System.nanoTime();
        var created = cli("vm", "create", "disk1", "--vcpus", "1", "--memory", "128M", "--kernel", boot.kernel().toString(),
                "--initrd", boot.initrd().toString(), "--cmdline", TinyDisk.CMDLINE, "--image", "tiny", "--disk-size", "128M",
                "--expose", "80");
        assertThat(created.path("task").path("status").asText()).isEqualTo("succeeded");
        var vm = cli("vm", "show", "disk1");
        assertThat(vm.path("disks").get(0).path("volume").asText()).isEqualTo("disk1-root");
        assertThat(vm.path("disks").get(0).path("size_bytes").asLong()).isEqualTo(128L << 20);
        String address = vm.path("endpoints").get(0).path("address").asText();
        assertThat(awaitNote(address)).isEmpty();
        System.out.printf("create from image to guest answering from its disk: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        writeNote(address, "first");

        cli("vm", "stop", "disk1");
        cli("vm", "start", "disk1");
        assertThat(awaitNote(address)).as("written to the volume, kept across a stop and start").isEqualTo("first");

        cli("vm", "snapshot", "create", "disk1", "before");
        writeNote(address, "second");
        assertThat(awaitNote(address)).isEqualTo("second");
        cli("vm", "snapshot", "revert", "disk1", "before");
        assertThat(awaitNote(address)).as("as at the snapshot").isEqualTo("first");
        assertThat(api.get("/api/v1/vms/disk1").json().path("state").asText()).isEqualTo("running");
        cli("vm", "snapshot", "delete", "disk1", "before");

        cli("vm", "delete", "disk1");
        api.await("/api/v1/volumes", vs -> vs.isEmpty(), Duration.ofSeconds(30));
        try (var c = new LibvirtDriver().connect(host)) {
            assertThat(c.storage().volume("disk1-root")).as("deleted from the host's pool with its VM").isEmpty();
            assertThat(c.storage().hasImage("tiny")).isTrue();
        }
        cli("image", "delete", "tiny");
        try (var c = new LibvirtDriver().connect(host)) {
            assertThat(c.storage().hasImage("tiny")).isFalse();
        }
    }

    private static String awaitNote(String address) {
        return GuestHttp.awaitBody(address, "/cgi-bin/note", Duration.ofSeconds(60));
    }

    private static void writeNote(String address, String text) {
        assertThat(GuestHttp.post(address, "/cgi-bin/note", text)).isEqualTo(text);
    }

    private static JsonNode cli(String... args) {
        return RealCli.run(api, args);
    }
}
