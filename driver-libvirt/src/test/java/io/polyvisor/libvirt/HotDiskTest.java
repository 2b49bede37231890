package io.polyvisor.libvirt;

import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyDisk;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Disk;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hot-plug on real QEMU on a test-fleet host: the tiny guest boots from its volume; a second volume attached while it
 * runs appears in the guest as {@code /dev/vdb} with its size (read through the guest agent), and is in the domain's
 * definition too; detached while it runs, the guest releases it and it is gone from guest and definition.
 */
class HotDiskTest {
    private static final Path DIR = Path.of("/var/tmp/polyvisor-test/tiny-disk");
    private HostConnection host;
    private UUID id;
    private String image;
    private String root;
    private String data;

    @AfterEach
    void cleanUp() {
        if (host == null) return;
        if (id != null && host.compute().lookup(id).isPresent()) {
            host.compute().destroy(id);
            host.compute().undefine(id);
        }
        for (String v : new String[] {root, data}) if (v != null) host.storage().deleteVolume(v);
        if (image != null) host.storage().deleteImage(image);
        host.close();
    }

    @Test
    void aVolumeIsHotPluggedIntoARunningGuestAndReleasedAgain() {
        TinyDisk tiny = new ImageKit(ImageKit.defaultCache()).ensureTinyDisk(DIR);
        host = new LibvirtDriver().connect(TestFleet.up(1).get(0));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        image = "tiny-" + suffix;
        root = "root-" + suffix;
        data = "data-" + suffix;
        host.storage().putImage(image, "qcow2", tiny.disk());
        host.storage().createVolume(root, 128 * Sizes.MiB, image);
        host.storage().createVolume(data, 64 * Sizes.MiB, null);
        id = UUID.randomUUID();
        var boot = tiny.boot();
        host.compute().define(id, "hot-" + suffix, new VmSpec(1, 128 * Sizes.MiB,
                new Boot.Kernel(boot.kernel().toString(), boot.initrd().toString(), TinyDisk.CMDLINE), null, List.of(), List.of(Disk.of(root))));
        host.compute().start(id);
        assertThat(guest("cat /sys/block/vda/size", r -> r.exitCode() == 0, Duration.ofSeconds(120)).out().strip())
                .as("the root volume, 128 MiB in 512-byte sectors").isEqualTo("262144");

        long a0 = System.nanoTime();
        host.storage().attachDisk(id, data, "virtio");
        var seen = guest("cat /sys/block/vdb/size", r -> r.exitCode() == 0, Duration.ofSeconds(30));
        System.out.printf("hot-plug: the guest saw vdb %d ms after the attach call%n", (System.nanoTime() - a0) / 1_000_000);
        assertThat(seen.out().strip()).as("the attached volume, 64 MiB").isEqualTo("131072");
        assertThat(host.storage().disks(id)).containsExactly(root, data);
        assertThat(host.compute().lookup(id).orElseThrow().state()).isEqualTo(PowerState.RUNNING);

        long d0 = System.nanoTime();
        host.storage().detachDisk(id, data);
        System.out.printf("hot-unplug: released by the guest in %d ms%n", (System.nanoTime() - d0) / 1_000_000);
        assertThat(host.storage().disks(id)).containsExactly(root);
        assertThat(guest("test -e /sys/block/vdb", r -> r.exitCode() != 0, Duration.ofSeconds(10)).exitCode()).isNotZero();
        assertThat(guest("cat /sys/block/vda/size", r -> r.exitCode() == 0, Duration.ofSeconds(10)).out().strip()).isEqualTo("262144");

        host.compute().destroy(id);
        assertThat(host.storage().disks(id)).as("the definition has only the root").containsExactly(root);
    }

    /** Runs {@code command} in the guest (sh -c, through the guest agent) until {@code done} holds for its result. */
    private GuestAgent.Result guest(String command, Predicate<GuestAgent.Result> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        GuestAgent.Result last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = GuestAgent.exec(host, id, Duration.ofSeconds(10), "/bin/sh", "-c", command);
                if (done.test(last)) return last;
            } catch (DriverException agentNotUpYet) {
                // the guest is still booting
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("'" + command + "' in the guest did not give what was awaited within " + timeout + "; last: " + last);
    }
}
