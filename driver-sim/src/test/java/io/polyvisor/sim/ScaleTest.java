package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One process holds a 10,000-host, 100,000-VM data centre, driven through the SPI like a controller would. */
class ScaleTest {
    static final int HOSTS = 10_000;
    static final int VMS_PER_HOST = 10;
    /** Bound on the heap the data centre adds: about 1.3 KiB per VM including its host's share (measured: ~230 bytes). */
    static final long HEAP_BOUND = 128 * Sizes.MiB;

    @Test
    void tenThousandHostsAndOneHundredThousandRunningVmsFitIn128MiB() {
        long before = heapAfterGc();
        var clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
        var dc = SimDatacenter.create("scale", 5, clock);
        var spec = VmSpec.of(2, 4 * Sizes.GiB);
        for (int h = 0; h < HOSTS; h++) {
            var name = "h" + h;
            dc.addHost(name, 64, 256 * Sizes.GiB);
            var c = dc.connect(name);
            for (int v = 0; v < VMS_PER_HOST; v++) {
                var id = new UUID(h, v);
                c.compute().define(id, "vm-" + h + "-" + v, spec);
                c.compute().start(id);
            }
        }
        clock.advance(Duration.ofHours(1));
        long used = heapAfterGc() - before;

        assertThat(dc.hosts()).hasSize(HOSTS);
        assertThat(dc.vmCount()).isEqualTo(HOSTS * VMS_PER_HOST);
        var last = dc.connect("h" + (HOSTS - 1));
        assertThat(last.compute().list()).hasSize(VMS_PER_HOST).allMatch(d -> d.state() == PowerState.RUNNING);
        assertThat(last.stats().vms()).hasSize(VMS_PER_HOST);
        System.out.printf("sim scale: %d hosts, %d VMs, heap used %.1f MiB (%.0f bytes per VM)%n",
                HOSTS, dc.vmCount(), used / (double) Sizes.MiB, used / (double) dc.vmCount());
        assertThat(used).as("heap used by the data centre").isLessThan(HEAP_BOUND);

        SimDatacenter.create("scale", 5, clock); // drop the big one from the registry
    }

    private static long heapAfterGc() {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }
}
