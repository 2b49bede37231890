package io.polyvisor.ha;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The HA controller against the simulator, a real store and virtual time: the failover scenarios users meet. */
class HaControllerTest {
    SimCluster c = new SimCluster("ha-ctl-" + UUID.randomUUID().toString().substring(0, 8), 1, 3, 8, 8);

    @AfterEach
    void close() {
        c.close();
    }

    Vm vm(String name, String host, Protection p) {
        return new Vm(UUID.randomUUID(), name, VmSpec.of(1, Sizes.GiB), Map.of(), p, Priority.MEDIUM, PowerIntent.RUNNING, VmState.PENDING, host);
    }

    Vm row(String name) {
        return c.store.vmByName(name).orElseThrow();
    }

    @Test
    void aCrashedHostIsDeclaredWithinTwoSecondsFencedAndItsProtectedVmRestartsElsewhere() {
        c.create(vm("db", "h1", Protection.RESTART));
        c.run(Duration.ofSeconds(1));
        assertThat(row("db").state()).isEqualTo(VmState.RUNNING);
        long crashAt = c.clock.now().toEpochMilli();
        c.dc.crashHost("h1");
        c.run(Duration.ofSeconds(3));
        var db = row("db");
        assertThat(db.state()).isEqualTo(VmState.RUNNING);
        assertThat(db.host()).isNotEqualTo("h1");
        assertThat(c.dc.runningOn(db.id())).containsExactly(db.host());
        var f = c.ha.failovers().getFirst();
        assertThat(f.host()).isEqualTo("h1");
        assertThat(f.declaredMillis() - crashAt).isLessThanOrEqualTo(2_000);
        assertThat(f.restarted()).containsExactly("db");
        assertThat(String.join("\n", c.events)).contains("host.unreachable h1", "host.fencing h1", "host.fenced h1", "vm.restarting db");
    }

    @Test
    void aPauseOfThisServerItselfFencesNoHostButAHostThatDiedMeanwhileIsStillDeclared() {
        c.create(vm("db", "h1", Protection.RESTART));
        c.run(Duration.ofSeconds(2));
        // the whole server stalls for 3 s (GC, CPU starvation): no probe answered, no tick ran; then HA's tick thread
        // runs before the probe threads deliver their heartbeats
        c.clock.advance(Duration.ofSeconds(3));
        c.ha.tick();
        c.ha.tick();
        c.run(Duration.ofSeconds(2));
        assertThat(c.ha.failovers()).isEmpty();
        assertThat(String.join("\n", c.events)).doesNotContain("host.suspect", "host.unreachable");
        assertThat(row("db").host()).isEqualTo("h1");

        // h1 dies during the next stall: after the grace it is declared as usual
        c.dc.crashHost("h1");
        c.clock.advance(Duration.ofSeconds(3));
        c.ha.tick();
        c.run(Duration.ofSeconds(3));
        assertThat(c.ha.failovers()).singleElement().satisfies(f -> assertThat(f.host()).isEqualTo("h1"));
        assertThat(row("db").host()).isNotEqualTo("h1");
    }

    @Test
    void aPartitionedHostIsFencedBeforeItsVmRunsAnywhereElse() {
        c.create(vm("db", "h1", Protection.RESTART));
        c.run(Duration.ofSeconds(1));
        UUID id = row("db").id();
        c.dc.partition("h1");
        for (int i = 0; i < 40; i++) {
            c.tick();
            assertThat(c.dc.runningOn(id)).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(c.dc.runningOn(id)).singleElement().isNotEqualTo("h1");
    }

    @Test
    void whenFencingFailsTheVmIsReportedAndNeverRestarted() {
        c.create(vm("db", "h1", Protection.RESTART));
        c.run(Duration.ofSeconds(1));
        UUID id = row("db").id();
        c.brokenFence.add("h1");
        c.dc.partition("h1");
        c.run(Duration.ofSeconds(10));
        assertThat(c.dc.runningOn(id)).containsExactly("h1"); // still runs there, and only there
        assertThat(row("db").host()).isEqualTo("h1");
        assertThat(c.store.host("h1").orElseThrow().state()).isEqualTo(io.polyvisor.model.HostState.FAILED);
        assertThat(String.join("\n", c.events)).contains("host.fence-failed h1", "vm.stranded db");

        c.dc.heal("h1"); // the partition ends: the host rejoins with its VM, nothing ran twice
        c.run(Duration.ofSeconds(2));
        assertThat(c.ha.health().get("h1")).isInstanceOf(HostHealth.Healthy.class);
        assertThat(c.dc.runningOn(id)).containsExactly("h1");
    }

    @Test
    void aPairFoundOnOneHostLosesItsStandbyWhichIsRebuiltOnAnotherHost() {
        var web = vm("web", "h1", Protection.STANDBY);
        c.create(web);
        var together = StandbyRollover.newStandby(web, UUID.randomUUID()).withHost("h1"); // as an older version could leave it
        c.create(together);
        c.run(Duration.ofSeconds(3));
        assertThat(c.store.vm(together.id()).orElseThrow().state()).isEqualTo(VmState.DELETED);
        var rebuilt = row("web-standby");
        assertThat(rebuilt.id()).isNotEqualTo(together.id());
        assertThat(rebuilt.host()).isNotEqualTo("h1");
        assertThat(rebuilt.state()).isEqualTo(VmState.RUNNING);
        assertThat(c.dc.runningOn(together.id())).isEmpty();
        assertThat(c.dc.runningOn(row("web").id())).containsExactly("h1");
        assertThat(String.join("\n", c.events)).contains("vm.standby web: standby web-standby deleted: it shared host h1 with web");
    }

    @Test
    void aStandbyIsBuiltAwayFromItsPrimaryAndTakesOverWhenThePrimaryHostFails() {
        c.create(vm("web", "h1", Protection.STANDBY));
        c.run(Duration.ofSeconds(1));
        var standby = row("web-standby");
        assertThat(standby.host()).isNotEqualTo("h1");
        assertThat(standby.state()).isEqualTo(VmState.RUNNING);
        var primaryId = row("web").id();
        long crashAt = c.clock.now().toEpochMilli();

        c.dc.crashHost("h1");
        c.run(Duration.ofSeconds(3));
        var web = row("web");
        assertThat(web.id()).isEqualTo(standby.id()); // the standby instance is the primary now
        assertThat(web.host()).isEqualTo(standby.host());
        var rebuilt = row("web-standby");
        assertThat(rebuilt.id()).isEqualTo(primaryId);
        assertThat(rebuilt.host()).isNotIn("h1", web.host());
        assertThat(rebuilt.state()).isEqualTo(VmState.RUNNING);
        var f = c.ha.failovers().getFirst();
        assertThat(f.promoted()).containsExactly("web");
        assertThat(f.declaredMillis() - crashAt).isLessThanOrEqualTo(2_000);
    }

    @Test
    void aCrashedProtectedGuestIsForcedOffAndRestarted() {
        c.create(vm("db", "h2", Protection.RESTART));
        c.run(Duration.ofSeconds(1));
        UUID id = row("db").id();
        c.dc.vmCrash(id);
        c.run(Duration.ofSeconds(1));
        assertThat(row("db").state()).isEqualTo(VmState.RUNNING);
        assertThat(c.dc.runningOn(id)).hasSize(1);
        assertThat(String.join("\n", c.events)).contains("vm.fenced db", "vm.restarting db");
    }

    @Test
    void aGuestThatStopsAnsweringItsHealthCheckIsForcedOffAndRestartedButABootingOneIsLeftAlone() {
        var hung = new java.util.HashSet<Integer>();
        var guests = new GuestHealth(c.store, port -> !hung.contains(port));
        c.ha.guestHealth(guests);
        var spec = new VmSpec(1, Sizes.GiB, null, null, java.util.List.of(80));
        c.create(new Vm(UUID.randomUUID(), "api", spec, Map.of(HaLabels.HEALTH_HTTP, "80"), Protection.RESTART, Priority.MEDIUM,
                PowerIntent.RUNNING, VmState.PENDING, "h1"));
        c.run(Duration.ofSeconds(1));
        UUID id = row("api").id();
        c.store.setEndpoints(id, Map.of(80, 40080));

        hung.add(40080); // never answered yet: a booting guest, not armed
        for (int i = 0; i < 10; i++) { guests.check(); c.tick(); }
        assertThat(String.join("\n", c.events)).doesNotContain("vm.fenced api");

        hung.clear();
        guests.check(); // answers once: armed
        hung.add(40080);
        for (int i = 0; i < GuestHealth.FAILURES - 1; i++) { guests.check(); c.tick(); }
        assertThat(String.join("\n", c.events)).doesNotContain("vm.fenced api");
        guests.check();
        assertThat(guests.unhealthy()).containsExactly(id);
        c.tick();
        c.tick();
        assertThat(String.join("\n", c.events)).contains("vm.fenced api", "vm.restarting api");
        assertThat(row("api").state()).isEqualTo(VmState.RUNNING);
        assertThat(c.dc.runningOn(id)).hasSize(1);
        for (int i = 0; i < 10; i++) { guests.check(); c.tick(); } // still not answering, but unarmed: no restart loop
        assertThat(guests.unhealthy()).isEmpty();
        assertThat(c.events.stream().filter(e -> e.contains("vm.restarting api")).count()).isEqualTo(1);
    }

    @Test
    void aFencedHostThatComesBackIsCleanedAndTakesVmsAgain() {
        c.create(vm("db", "h1", Protection.RESTART));
        c.run(Duration.ofSeconds(1));
        c.dc.crashHost("h1");
        c.run(Duration.ofSeconds(3));
        c.dc.recover("h1");
        c.run(Duration.ofSeconds(2));
        assertThat(c.ha.health().get("h1")).isInstanceOf(HostHealth.Healthy.class);
        assertThat(c.store.host("h1").orElseThrow().state()).isEqualTo(io.polyvisor.model.HostState.CONNECTED);
        assertThat(String.join("\n", c.events)).contains("host.rejoined h1");
    }
}
