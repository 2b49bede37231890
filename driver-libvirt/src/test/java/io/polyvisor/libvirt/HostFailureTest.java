package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real host failure (scripts/test-hosts kill: the daemon and its QEMU processes, SIGKILL): the connection
 * says the host is not alive and calls fail as retryable; once the daemon is back, the same connection
 * reconnects by itself, finds the VM's definition (persistent) powered off, and event subscriptions made
 * before the failure deliver again.
 */
class HostFailureTest {
    @Test
    void killedHostIsNotAliveCallsAreRetryableAndTheConnectionComesBack() throws Exception {
        var uri = TestFleet.up(1).get(0);
        try (var host = new LibvirtDriver().connect(uri)) {
            var id = UUID.randomUUID();
            host.compute().define(id, "hf-" + id.toString().substring(0, 8), TinyGuest.spec(List.of()));
            host.compute().start(id);
            assertThat(host.alive()).isTrue();
            var events = new java.util.concurrent.CopyOnWriteArrayList<io.polyvisor.spi.DomainEvent>();
            var subscription = host.events().subscribe(events::add);

            TestFleet.kill(1);
            assertThat(host.alive()).as("daemon killed").isFalse();
            assertThatThrownBy(() -> host.compute().list()).isInstanceOf(DriverException.class)
                    .satisfies(e -> assertThat(((DriverException) e).retryable()).as(e.getMessage()).isTrue());

            TestFleet.up(1);
            assertThat(host.alive()).as("reconnected to the restarted daemon").isTrue();
            assertThat(host.compute().lookup(id)).as("its QEMU died with the host").get()
                    .extracting(d -> d.state()).isEqualTo(PowerState.SHUTOFF);
            events.clear();
            host.compute().start(id);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (events.stream().noneMatch(e -> e.id().equals(id) && e.state() == PowerState.RUNNING) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            assertThat(events).as("events flow again after the reconnect")
                    .anyMatch(e -> e.id().equals(id) && e.state() == PowerState.RUNNING);
            host.compute().destroy(id);
            host.compute().undefine(id);
            subscription.close();
        }
    }
}
