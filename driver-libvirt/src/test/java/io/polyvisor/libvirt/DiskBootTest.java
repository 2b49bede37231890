package io.polyvisor.libvirt;

import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyDisk;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Disk;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real QEMU on a test-fleet host: the tiny guest's disk image is copied into the host's pool (libvirt upload stream), a
 * copy-on-write volume made over it, and the guest boots with its root on that volume. A note written through the
 * guest's HTTP endpoint ({@code POST /cgi-bin/note}, synced to disk) survives a stop and start; after a snapshot of
 * the running guest (memory and disks), a change, and a revert, the note is as at the snapshot. Then a live migration
 * with disk copy to a second host: the guest keeps answering, the note is intact, and the volume is on the destination
 * only.
 */
class DiskBootTest {
    private static final Path DIR = Path.of("/var/tmp/polyvisor-test/tiny-disk");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private HostConnection host;
    private HostConnection second;
    private UUID id;
    private String volume;
    private String image;

    @AfterEach
    void cleanUp() {
        for (var c : new HostConnection[] {host, second}) {
            if (c == null) continue;
            if (id != null && c.compute().lookup(id).isPresent()) {
                c.compute().destroy(id);
                c.compute().undefine(id);
            }
            if (volume != null) c.storage().deleteVolume(volume);
            if (image != null) c.storage().deleteImage(image);
            c.close();
        }
    }

    @Test
    void aGuestBootedFromItsVolumeKeepsWhatItWroteAndRevertsToASnapshot() throws Exception {
        TinyDisk tiny = new ImageKit(ImageKit.defaultCache()).ensureTinyDisk(DIR);
        var fleet = TestFleet.up(2);
        host = new LibvirtDriver().connect(fleet.get(0));
        second = new LibvirtDriver().connect(fleet.get(1));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        image = "tiny-" + suffix;
        volume = "root-" + suffix;
        long t0 = System.nanoTime();
        host.storage().putImage(image, "qcow2", tiny.disk());
        long copied = System.nanoTime();
        var v = host.storage().createVolume(volume, 128 * Sizes.MiB, image);
        assertThat(v.image()).isEqualTo(image);
        assertThat(v.capacityBytes()).isEqualTo(128 * Sizes.MiB);
        System.out.printf("image copy into the pool: %d ms, volume over it: %d ms%n", (copied - t0) / 1_000_000,
                (System.nanoTime() - copied) / 1_000_000);

        id = UUID.randomUUID();
        var boot = tiny.boot();
        var spec = new VmSpec(1, 128 * Sizes.MiB, new Boot.Kernel(boot.kernel().toString(), boot.initrd().toString(), TinyDisk.CMDLINE),
                null, List.of(80), List.of(Disk.of(volume)));
        host.compute().define(id, "disk-" + suffix, spec);
        int port = start();
        assertThat(note(port)).isEmpty();
        writeNote(port, "first");
        assertThat(note(port)).isEqualTo("first");

        host.compute().shutdown(id);
        await(() -> host.compute().lookup(id).orElseThrow().state() == PowerState.SHUTOFF, "ACPI power-off");
        port = start();
        assertThat(note(port)).as("the note survived a stop and start: it is on the volume").isEqualTo("first");

        long s0 = System.nanoTime();
        var snap = host.storage().createSnapshot(id, "before");
        System.out.printf("snapshot of the running guest: %d ms%n", (System.nanoTime() - s0) / 1_000_000);
        assertThat(snap.running()).isTrue();
        writeNote(port, "second");
        assertThat(note(port)).isEqualTo("second");
        long r0 = System.nanoTime();
        host.storage().revertSnapshot(id, "before");
        System.out.printf("revert: %d ms%n", (System.nanoTime() - r0) / 1_000_000);
        assertThat(host.compute().lookup(id).orElseThrow().state()).isEqualTo(PowerState.RUNNING);
        host.guestAccess().forward(id, port, 80);
        assertThat(awaitNote(port)).as("as at the snapshot").isEqualTo("first");
        host.storage().deleteSnapshot(id, "before");
        assertThat(host.storage().snapshots(id)).isEmpty();

        final int from = port;
        var answered = new java.util.concurrent.atomic.AtomicInteger();
        var probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        var prober = Thread.ofPlatform().daemon().start(() -> {
            while (probing.get()) {
                try {
                    if ("first".equals(note(from))) answered.incrementAndGet();
                } catch (IOException | InterruptedException e) {
                    // the forward moves with the guest: gone until it is added on the destination
                }
                sleep();
            }
        });
        long m0 = System.nanoTime();
        var result = host.migration().migrate(id, second, p -> { });
        long migrateMillis = (System.nanoTime() - m0) / 1_000_000;
        int before = answered.get();
        probing.set(false);
        prober.join();
        System.out.printf("block live migration: %d ms (QEMU total %d ms, downtime %d ms, %d bytes)%n", migrateMillis,
                result.totalMillis(), result.downtimeMillis(), result.bytesTransferred());
        assertThat(before).as("the guest answered while its disks and memory were copied").isPositive();
        assertThat(host.compute().lookup(id)).isEmpty();
        assertThat(second.compute().lookup(id).orElseThrow().state()).as("kept running").isEqualTo(PowerState.RUNNING);
        assertThat(host.storage().volume(volume)).as("the source's copy is deleted").isEmpty();
        assertThat(second.storage().volume(volume)).map(io.polyvisor.spi.Storage.VolumeInfo::capacityBytes).contains(128 * Sizes.MiB);
        int moved = freePort();
        second.guestAccess().forward(id, moved, 80);
        assertThat(awaitNote(moved)).as("the data came along").isEqualTo("first");
        writeNote(moved, "third");
        assertThat(note(moved)).isEqualTo("third");
    }

    private int start() throws IOException {
        host.compute().start(id);
        int port = freePort();
        host.guestAccess().forward(id, port, 80);
        awaitNote(port);
        return port;
    }

    private static String awaitNote(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return note(port);
            } catch (IOException | InterruptedException e) {
                sleep();
            }
        }
        throw new AssertionError("the guest did not answer on port " + port + " within 60 s");
    }

    private static String note(int port) throws IOException, InterruptedException {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cgi-bin/note")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("status " + r.statusCode());
        return r.body().strip();
    }

    private static void writeNote(int port, String text) throws IOException, InterruptedException {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cgi-bin/note"))
                .POST(HttpRequest.BodyPublishers.ofString(text)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().strip()).isEqualTo(text);
    }

    private static void await(java.util.function.BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + " did not happen within 60 s");
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
