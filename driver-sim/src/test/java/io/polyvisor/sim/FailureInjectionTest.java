package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailureInjectionTest {
    private final VirtualClock clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
    private SimDatacenter dc;
    private HostConnection h1;
    private final UUID vm = new UUID(0, 1);

    @BeforeEach
    void setUp() {
        dc = SimDatacenter.create("faults", 1, clock);
        dc.addHost("h1", 8, 16 * Sizes.GiB);
        dc.addHost("h2", 8, 16 * Sizes.GiB);
        h1 = dc.connect("h1");
        h1.compute().define(vm, "web1", VmSpec.of(2, Sizes.GiB));
        h1.compute().start(vm);
    }

    @Test
    void aCrashedHostIsUnreachableAndComesBackEmpty() {
        dc.crashHost("h1");
        assertThat(h1.alive()).isFalse();
        assertThat(dc.health("h1")).isEqualTo(HostHealth.CRASHED);
        assertThat(dc.runningOn(vm)).isEmpty();
        assertUnreachable(() -> h1.compute().lookup(vm));
        assertUnreachable(h1::info);
        assertUnreachable(() -> h1.stats().host());
        assertThatThrownBy(() -> dc.connect("h1")).isInstanceOf(DriverException.class);

        dc.recover("h1");
        assertThat(h1.alive()).isTrue();
        assertThat(h1.compute().list()).isEmpty();
        assertThat(h1.stats().host().memoryBytes()).isZero();
    }

    @Test
    void aPartitionedHostIsUnreachableButItsVmsKeepRunning() {
        dc.partition("h1");
        assertThat(h1.alive()).isFalse();
        assertUnreachable(() -> h1.compute().list());
        assertUnreachable(() -> h1.compute().destroy(vm));
        assertThat(dc.runningOn(vm)).containsExactly("h1");

        // a controller that restarts the VM elsewhere without fencing makes it run twice; the simulator shows it
        var h2 = dc.connect("h2");
        h2.compute().define(vm, "web1", VmSpec.of(2, Sizes.GiB));
        h2.compute().start(vm);
        assertThat(dc.runningOn(vm)).containsExactly("h1", "h2");

        dc.heal("h1");
        assertThat(h1.alive()).isTrue();
        assertThat(h1.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.RUNNING);
    }

    @Test
    void fencingAPartitionedHostPowersItOffSoItsVmsDie() {
        dc.partition("h1");
        h1.fencing().fenceHost();
        assertThat(dc.health("h1")).isEqualTo(HostHealth.CRASHED);
        assertThat(dc.runningOn(vm)).isEmpty();
        h1.fencing().fenceHost(); // already off: still succeeds
        dc.recover("h1");
        assertThat(h1.compute().list()).isEmpty();
    }

    @Test
    void fencingACrashedHostSucceeds() {
        dc.crashHost("h1");
        h1.fencing().fenceHost();
        assertThat(dc.health("h1")).isEqualTo(HostHealth.CRASHED);
    }

    @Test
    void fencingAVmThroughAPartitionCannotBeGuaranteed() {
        dc.partition("h1");
        assertUnreachable(() -> h1.fencing().fenceVm(vm));
        assertThat(dc.runningOn(vm)).containsExactly("h1");
    }

    @Test
    void injectedFailuresAreRetryableHaveNoEffectAndRunOut() {
        h1.compute().destroy(vm);
        dc.failNext("h1", Operation.START, 2);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> h1.compute().start(vm))
                    .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessage("injected failure of start on sim host h1");
            assertThat(h1.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.SHUTOFF);
        }
        h1.compute().start(vm);
        assertThat(h1.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.RUNNING);
    }

    @Test
    void anInjectedDelayTakesClockTimeUntilRemoved() {
        dc.delay("h1", Operation.SUSPEND, Duration.ofSeconds(5));
        var before = clock.now();
        h1.compute().suspend(vm);
        assertThat(Duration.between(before, clock.now())).isEqualTo(Duration.ofSeconds(5));
        dc.delay("h1", Operation.SUSPEND, Duration.ZERO);
        h1.compute().resume(vm);
        before = clock.now();
        h1.compute().suspend(vm);
        assertThat(clock.now()).isEqualTo(before);
    }

    @Test
    void aGuestCrashIsReportedAsCrashedAndTheVmCanBeStartedAgain() throws Exception {
        var events = new ArrayList<DomainEvent>();
        try (var sub = h1.events().subscribe(events::add)) {
            dc.vmCrash(vm);
        }
        assertThat(events).extracting(DomainEvent::id, DomainEvent::state, DomainEvent::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(vm, PowerState.CRASHED, "crashed"));
        assertThat(h1.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.CRASHED);
        assertThat(h1.stats().vms()).doesNotContainKey(vm);
        h1.compute().start(vm);
        assertThat(dc.runningOn(vm)).containsExactly("h1");
        assertThatThrownBy(() -> dc.vmCrash(new UUID(9, 9))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartitionedHostDeliversNoEvents() throws Exception {
        List<DomainEvent> events = new ArrayList<>();
        try (var sub = h1.events().subscribe(events::add)) {
            dc.partition("h1");
            dc.vmCrash(vm);
            dc.heal("h1");
            h1.compute().start(vm);
        }
        assertThat(events).extracting(DomainEvent::state).containsExactly(PowerState.RUNNING);
    }

    @Test
    void aGuestTakesTheConfiguredTimeToShutDown() {
        var slow = SimDatacenter.create("slow", 1, clock, SimSettings.instant().withGuestShutdown(Duration.ofSeconds(30)));
        slow.addHost("h1", 4, 8 * Sizes.GiB);
        var c = slow.connect("h1");
        c.compute().define(vm, "web1", VmSpec.of(1, Sizes.GiB));
        c.compute().start(vm);
        c.compute().shutdown(vm);
        assertThat(c.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.RUNNING);
        clock.advance(Duration.ofSeconds(29));
        assertThat(c.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.RUNNING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(c.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.SHUTOFF);
    }

    @Test
    void aShutdownOvertakenByARestartDoesNotPowerOffTheNewBoot() {
        var slow = SimDatacenter.create("slow", 1, clock, SimSettings.instant().withGuestShutdown(Duration.ofSeconds(30)));
        slow.addHost("h1", 4, 8 * Sizes.GiB);
        var c = slow.connect("h1");
        c.compute().define(vm, "web1", VmSpec.of(1, Sizes.GiB));
        c.compute().start(vm);
        c.compute().shutdown(vm);
        c.compute().destroy(vm);
        c.compute().start(vm);
        clock.advance(Duration.ofMinutes(1));
        assertThat(c.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.RUNNING);
    }

    private static void assertUnreachable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessage("host h1 is unreachable");
    }
}
