package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Events subscriptions and guest port forwards as a controller uses them. */
class SimConnectionTest {
    private SimDatacenter dc;
    private HostConnection h1;
    private final UUID vm = new UUID(0, 1);

    @BeforeEach
    void setUp() {
        dc = SimDatacenter.create("conn", 1, SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z")));
        dc.addHost("h1", 8, 16 * Sizes.GiB);
        dc.addHost("h2", 8, 16 * Sizes.GiB);
        h1 = dc.connect("h1");
        h1.compute().define(vm, "web1", VmSpec.of(1, Sizes.GiB));
    }

    @Test
    void everyConnectionToAHostSeesItsEventsInOrderUntilUnsubscribed() throws Exception {
        var other = dc.connect("h1");
        var seen = new ArrayList<String>();
        var handle = other.events().subscribe(e -> seen.add(e.state() + " " + e.reason()));
        h1.compute().start(vm);
        h1.compute().suspend(vm);
        h1.compute().resume(vm);
        h1.compute().destroy(vm);
        handle.close();
        h1.compute().start(vm);
        assertThat(seen).containsExactly("RUNNING booted", "PAUSED suspended", "RUNNING resumed", "SHUTOFF destroyed");
    }

    @Test
    void closingAConnectionEndsItsSubscriptions() {
        var other = dc.connect("h1");
        var seen = new ArrayList<DomainEvent>();
        other.events().subscribe(seen::add);
        other.close();
        h1.compute().start(vm);
        assertThat(seen).isEmpty();
    }

    @Test
    void undefiningSendsAnEventWithoutState() throws Exception {
        var seen = new ArrayList<DomainEvent>();
        try (var s = h1.events().subscribe(seen::add)) {
            h1.compute().undefine(vm);
        }
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.state()).isNull();
            assertThat(e.reason()).isEqualTo("undefined");
        });
    }

    @Test
    void aListenerThatThrowsDoesNotStopOthersNorTheCall() throws Exception {
        var seen = new ArrayList<DomainEvent>();
        try (var bad = h1.events().subscribe(e -> { throw new IllegalStateException("listener bug"); });
             var good = h1.events().subscribe(seen::add)) {
            h1.compute().start(vm);
        }
        assertThat(seen).hasSize(1);
        assertThat(dc.runningOn(vm)).containsExactly("h1");
    }

    @Test
    void forwardsAreRecordedAndLostWhenTheGuestPowersOffOrMoves() {
        h1.compute().start(vm);
        h1.guestAccess().forward(vm, 40080, 80);
        h1.guestAccess().forward(vm, 40080, 80);
        h1.guestAccess().forward(vm, 40022, 22);
        assertThat(dc.forwards("h1", vm)).isEqualTo(Map.of(40022, 22, 40080, 80));

        h1.compute().destroy(vm);
        assertThat(dc.forwards("h1", vm)).isEmpty();
        h1.compute().start(vm);
        h1.guestAccess().forward(vm, 40080, 80);
        h1.migration().migrate(vm, dc.connect("h2"), f -> {});
        assertThat(dc.forwards("h2", vm)).as("must be re-applied after migration").isEmpty();
    }

    @Test
    void aHostPortForwardsToOneGuestPortOnly() {
        var db = new UUID(0, 2);
        h1.compute().define(db, "db1", VmSpec.of(1, Sizes.GiB));
        h1.compute().start(vm);
        h1.compute().start(db);
        h1.guestAccess().forward(vm, 40080, 80);
        assertThatThrownBy(() -> h1.guestAccess().forward(db, 40080, 5432)).isInstanceOf(DriverException.class)
                .hasMessage("host port 40080 on sim host h1 already forwards to vm web1 port 80");
        assertThatThrownBy(() -> h1.guestAccess().forward(vm, 40080, 81)).isInstanceOf(DriverException.class)
                .hasMessage("host port 40080 on sim host h1 already forwards to vm web1 port 80");
    }

    @Test
    void aStoppedGuestCannotBeReached() {
        assertThatThrownBy(() -> h1.guestAccess().forward(vm, 40080, 80))
                .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("vm web1 is shutoff on sim host h1, so it cannot be reached");
    }

    @Test
    void aSecondVmWithTheSameNameIsRefused() {
        assertThatThrownBy(() -> h1.compute().define(new UUID(0, 9), "web1", VmSpec.of(1, Sizes.GiB)))
                .isInstanceOf(DriverException.class)
                .hasMessage("a VM named web1 is already defined on sim host h1 with UUID " + vm);
    }

    @Test
    void aRunningVmMustBeDestroyedBeforeItIsUndefined() {
        h1.compute().start(vm);
        assertThatThrownBy(() -> h1.compute().undefine(vm)).isInstanceOf(DriverException.class)
                .hasMessage("vm web1 is running on sim host h1; destroy it before undefining");
        assertThat(h1.compute().lookup(vm).map(d -> d.state())).contains(PowerState.RUNNING);
    }
}
