package io.polyvisor.libvirt;

import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events from real QEMU for changes made outside Polyvisor: a QEMU process killed with SIGKILL is reported
 * CRASHED, a domain destroyed by another libvirt client SHUTOFF ("destroyed"), each within a second. Runs on
 * a fleet host (scripts/test-hosts), whose daemon has a prompt zombie reaper as on a systemd machine.
 */
class LibvirtEventsTest {
    private HostConnection host;
    private UUID id;

    @BeforeEach
    void boot() {
        host = new LibvirtDriver().connect(uri());
        id = UUID.randomUUID();
        host.compute().define(id, "ev-" + id.toString().substring(0, 8), TinyGuest.spec(List.of()));
        host.compute().start(id);
    }

    @AfterEach
    void cleanUp() {
        if (host.compute().lookup(id).isPresent()) {
            host.compute().destroy(id);
            host.compute().undefine(id);
        }
        host.close();
    }

    @Test
    void qemuKilledOutsideIsReportedCrashedWithinASecond() throws Exception {
        var events = new LinkedBlockingQueue<DomainEvent>();
        try (var sub = host.events().subscribe(events::add)) {
            var pid = Long.parseLong(Files.readString(TestFleet.hostDir(1).resolve("run/qemu")
                    .resolve(host.compute().lookup(id).orElseThrow().name() + ".pid")).strip());
            long t0 = System.nanoTime();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            var e = next(events, PowerState.CRASHED, Duration.ofSeconds(5));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("QEMU killed -> CRASHED event in " + millis + " ms: " + e.reason());
            assertThat(e.reason()).isEqualTo("stopped: failed");
            assertThat(millis).isLessThan(1_000);
        }
    }

    @Test
    void domainDestroyedByAnotherClientIsReportedShutoffWithinASecond() throws Exception {
        var events = new LinkedBlockingQueue<DomainEvent>();
        try (var sub = host.events().subscribe(events::add); var other = new LibvirtDriver().connect(uri())) {
            long t0 = System.nanoTime();
            other.compute().destroy(id);
            var e = next(events, PowerState.SHUTOFF, Duration.ofSeconds(5));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("destroyed outside -> SHUTOFF event in " + millis + " ms: " + e.reason());
            assertThat(e.reason()).isEqualTo("stopped: destroyed");
            assertThat(millis).isLessThan(1_000);
        }
    }

    private static URI uri() {
        return TestFleet.up(1).get(0);
    }

    private DomainEvent next(LinkedBlockingQueue<DomainEvent> events, PowerState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e != null && e.id().equals(id) && e.state() == state) return e;
        }
        throw new AssertionError("no " + state + " event for " + id + " within " + timeout);
    }
}
