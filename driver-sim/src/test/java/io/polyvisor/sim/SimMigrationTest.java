package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.MigrationResult;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimMigrationTest {
    private final VirtualClock clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
    private SimDatacenter dc;
    private HostConnection h1;
    private HostConnection h2;
    private final UUID vm = new UUID(0, 1);

    @BeforeEach
    void setUp() {
        dc = SimDatacenter.create("migration", 1, clock);
        dc.addHost("h1", 8, 16 * Sizes.GiB);
        dc.addHost("h2", 8, 4 * Sizes.GiB);
        h1 = dc.connect("h1");
        h2 = dc.connect("h2");
        h1.compute().define(vm, "web1", VmSpec.of(2, Sizes.GiB));
        h1.compute().start(vm);
    }

    @Test
    void oneGibAtOneGibPerSecondTakesOneSecondOnTheClockWhileTheVmRunsOnTheSource() {
        var progress = new ArrayList<Double>();
        var before = clock.now();
        var result = h1.migration().migrate(vm, h2, f -> {
            progress.add(f);
            if (f < 1) {
                assertThat(dc.runningOn(vm)).as("runs on the source during the copy").containsExactly("h1");
                assertThat(h2.compute().lookup(vm)).isEmpty();
            }
        });
        assertThat(result).isEqualTo(new MigrationResult(1000, 0, Sizes.GiB));
        assertThat(Duration.between(before, clock.now())).isEqualTo(Duration.ofSeconds(1));
        assertThat(progress).first().isEqualTo(0.0);
        assertThat(progress).last().isEqualTo(1.0);
        assertThat(progress).isSorted().hasSize(11);
        assertThat(dc.runningOn(vm)).containsExactly("h2");
        assertThat(h1.compute().lookup(vm)).isEmpty();
        assertThat(h2.compute().lookup(vm).orElseThrow().state()).isEqualTo(PowerState.RUNNING);
    }

    @Test
    void aDirtyingGuestTakesExtraRoundsAndAShortPause() {
        dc.setDirtyRate(vm, 256 * Sizes.MiB);
        var result = h1.migration().migrate(vm, h2, f -> {});
        // 1 GiB in 1 s, then the 256 MiB dirtied meanwhile fits in the 300 ms downtime budget: copied paused
        assertThat(result).isEqualTo(new MigrationResult(1250, 250, Sizes.GiB + 256 * Sizes.MiB));
    }

    @Test
    void theDestinationMustHaveTheMemory() {
        var big = new UUID(0, 2);
        h1.compute().define(big, "big", VmSpec.of(2, 5 * Sizes.GiB));
        h1.compute().start(big);
        assertThatThrownBy(() -> h1.migration().migrate(big, h2, f -> {}))
                .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("not enough memory on sim host h2 to migrate vm big: needs 5 GiB, 4 GiB free");
        assertThat(dc.runningOn(big)).containsExactly("h1");
    }

    @Test
    void memoryIsReservedOnTheDestinationWhileTheCopyRuns() {
        var other = new UUID(0, 3);
        h2.compute().define(other, "other", VmSpec.of(1, 3 * Sizes.GiB + 512 * Sizes.MiB));
        var refused = new ArrayList<Throwable>();
        h1.migration().migrate(vm, h2, f -> {
            if (f > 0 && f < 1 && refused.isEmpty()) {
                try {
                    h2.compute().start(other);
                } catch (DriverException e) {
                    refused.add(e);
                }
            }
        });
        assertThat(refused).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("not enough memory on sim host h2 to start vm other: needs 3584 MiB, 3 GiB free");
    }

    @Test
    void aDestinationCrashMidwayLeavesTheVmRunningOnTheSourceAndReleasesTheReservation() {
        assertThatThrownBy(() -> h1.migration().migrate(vm, h2, f -> {
            if (f >= 0.5 && dc.health("h2") == HostHealth.UP) dc.crashHost("h2");
        })).isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessage("migration of vm web1 failed: sim host h2 became unreachable");
        assertThat(dc.runningOn(vm)).containsExactly("h1");
        dc.recover("h2");
        h1.migration().migrate(vm, h2, f -> {});
        assertThat(dc.runningOn(vm)).containsExactly("h2");
    }

    @Test
    void aVmDestroyedMidwayFailsTheMigration() {
        assertThatThrownBy(() -> h1.migration().migrate(vm, h2, f -> {
            if (f >= 0.5) h1.compute().destroy(vm);
        })).isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("vm web1 stopped on sim host h1 during migration");
        assertThat(h2.compute().lookup(vm)).isEmpty();
        assertThat(h2.stats().host().memoryBytes()).isZero();
    }

    @Test
    void eventsSayTheVmLeftTheSourceAndRunsOnTheDestination() throws Exception {
        var events = new ArrayList<String>();
        try (var a = h1.events().subscribe(e -> events.add("h1 " + e.state() + " " + e.reason()));
             var b = h2.events().subscribe(e -> events.add("h2 " + e.state() + " " + e.reason()))) {
            h1.migration().migrate(vm, h2, f -> {});
        }
        assertThat(events).containsExactly("h1 null migrated", "h2 RUNNING migrated");
    }

    @Test
    void aStoppedVmCannotBeLiveMigrated() {
        h1.compute().destroy(vm);
        assertThatThrownBy(() -> h1.migration().migrate(vm, h2, f -> {}))
                .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("vm web1 is shutoff, so it cannot be live-migrated");
    }

    @Test
    void theDestinationMustBeInTheSameDatacenter() {
        var other = SimDatacenter.create("elsewhere", 1, clock);
        other.addHost("h9", 4, 8 * Sizes.GiB);
        assertThatThrownBy(() -> h1.migration().migrate(vm, other.connect("h9"), f -> {}))
                .isInstanceOf(DriverException.class)
                .hasMessage("cannot migrate to sim://elsewhere/h9: not a host of sim data centre migration");
    }

    @Test
    void loadAndDirtyRateTravelWithTheVm() {
        dc.setLoad(vm, new LoadModel.Constant(0.5, 0.25));
        h1.migration().migrate(vm, h2, f -> {});
        var usage = h2.stats().vms().get(vm);
        assertThat(usage.cpuCores()).isEqualTo(1.0);
        assertThat(usage.memoryBytes()).isEqualTo(256 * Sizes.MiB);
    }
}
