package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SimDatacenter#persistTo}: simulated hypervisors that outlive the process simulating them. */
class SimStateTest {
    private final VirtualClock clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
    private final UUID web = new UUID(0, 1);
    private final UUID db = new UUID(0, 2);
    private final UUID idle = new UUID(0, 3);

    @TempDir
    Path dir;

    @Test
    void aFreshDataCentreRestoredFromTheFileHasTheSameHostsVmsAndPowerStates() {
        Path file = dir.resolve("sim.json");
        var dc = SimDatacenter.create("persist-a", 1, clock);
        dc.persistTo(file);
        dc.addHost("h1", 8, 4 * Sizes.GiB);
        dc.addHost("h2", 16, 8 * Sizes.GiB);
        dc.addHost("h3", 4, 2 * Sizes.GiB);
        var h1 = dc.connect("h1");
        h1.compute().define(web, "web1", VmSpec.of(2, 3 * Sizes.GiB));
        h1.compute().start(web);
        dc.setLoad(web, new LoadModel.Constant(0.5, 0.25));
        h1.compute().define(db, "db1", VmSpec.of(1, Sizes.GiB / 2));
        h1.compute().start(db);
        h1.compute().suspend(db);
        h1.compute().define(idle, "idle1", VmSpec.of(1, Sizes.GiB));
        h1.migration().migrate(web, dc.connect("h2"), p -> { });
        dc.crashHost("h3");

        var back = SimDatacenter.create("persist-b", 1, clock);
        back.persistTo(file);

        assertThat(back.hosts()).containsExactly("h1", "h2", "h3");
        assertThat(back.health("h3")).isEqualTo(HostHealth.CRASHED);
        assertThat(domains(back, "h1")).containsExactly(
                Map.entry(db, new DomainInfo(db, "db1", PowerState.PAUSED, 1, Sizes.GiB / 2)),
                Map.entry(idle, new DomainInfo(idle, "idle1", PowerState.SHUTOFF, 1, Sizes.GiB)));
        assertThat(domains(back, "h2")).containsExactly(
                Map.entry(web, new DomainInfo(web, "web1", PowerState.RUNNING, 2, 3 * Sizes.GiB)));
        assertThat(back.runningOn(web)).containsExactly("h2");
        // the load set before the restart still drives stats, and committed memory was rebuilt
        assertThat(back.connect("h2").stats().vms().get(web).memoryBytes()).isEqualTo(3 * Sizes.GiB / 4);
        var h2 = back.connect("h2");
        h2.compute().define(new UUID(0, 9), "big", VmSpec.of(1, 6 * Sizes.GiB));
        assertThatThrownBy(() -> h2.compute().start(new UUID(0, 9)))
                .isInstanceOf(DriverException.class).hasMessageContaining("not enough memory on sim host h2");
        // and the restored data centre keeps writing: a third generation sees the change
        var third = SimDatacenter.create("persist-c", 1, clock);
        third.persistTo(file);
        assertThat(domains(third, "h2")).containsKeys(web, new UUID(0, 9));
    }

    @Test
    void poolsVolumesImagesSnapshotsAndSharedPoolsComeBackWithTheirVms() throws Exception {
        Path file = dir.resolve("sim.json");
        Path image = Files.write(dir.resolve("base.img"), new byte[4096]);
        var dc = SimDatacenter.create("persist-pools", 1, clock);
        dc.persistTo(file);
        dc.addHost("h1", 8, 4 * Sizes.GiB);
        dc.addHost("h2", 8, 4 * Sizes.GiB);
        var h1 = dc.connect("h1");
        h1.storage().putImage("base", "raw", image);
        h1.storage().createVolume("web-root", Sizes.GiB, "base");
        h1.storage().createVolume("scratch", 2 * Sizes.GiB, null);
        var nfs = h1.storage().shared("nfs1", "/srv/nfs1");
        nfs.createVolume("data", 3 * Sizes.GiB, null);
        h1.compute().define(web, "web1", VmSpec.of(1, Sizes.GiB).withDisks(java.util.List.of(
                io.polyvisor.model.Disk.of("web-root"), io.polyvisor.model.Disk.of("data", "nfs1"))));
        h1.storage().createSnapshot(web, "before");
        long available = h1.storage().pool().availableBytes();

        var back = SimDatacenter.create("persist-pools-b", 1, clock);
        back.persistTo(file);
        var b1 = back.connect("h1");
        assertThat(b1.storage().volumes()).extracting(io.polyvisor.spi.Storage.VolumeInfo::name).containsExactly("web-root", "scratch");
        assertThat(b1.storage().volume("web-root").orElseThrow().image()).isEqualTo("base");
        assertThat(b1.storage().hasImage("base")).isTrue();
        assertThat(b1.storage().pool().availableBytes()).as("room as before the restart").isEqualTo(available);
        assertThat(b1.storage().snapshots(web)).extracting(io.polyvisor.spi.Storage.SnapshotInfo::name).containsExactly("before");
        assertThat(b1.storage().disks(web)).containsExactly("web-root", "data");
        assertThat(back.connect("h2").storage().shared("nfs1", "/srv/nfs1").volumes())
                .as("a shared pool is one object for every host").extracting(io.polyvisor.spi.Storage.VolumeInfo::name).containsExactly("data");
        assertThatThrownBy(() -> b1.storage().createVolume("too-big", Sizes.TiB, null)).isInstanceOf(DriverException.class)
                .hasMessageContaining("not enough room in the pool of sim host h1");
        // a delete is durable too
        b1.storage().deleteVolume("scratch");
        var third = SimDatacenter.create("persist-pools-c", 1, clock);
        third.persistTo(file);
        assertThat(third.connect("h1").storage().volumes()).extracting(io.polyvisor.spi.Storage.VolumeInfo::name).containsExactly("web-root");
    }

    @Test
    void aProcessKilledBetweenOperationsLeavesTheLastCompletedOneOnDisk() throws Exception {
        Path file = dir.resolve("sim.json");
        var dc = SimDatacenter.create("persist-kill", 1, clock);
        dc.persistTo(file);
        dc.addHost("h1", 8, 16 * Sizes.GiB);
        var h1 = dc.connect("h1");
        // after each completed call, what a SIGKILL at that moment would leave: a copy of the file as it is now
        record Step(String label, Consumer<Void> op, Map<UUID, PowerState> expected) {}
        var steps = java.util.List.of(
                new Step("define", v -> h1.compute().define(web, "web1", VmSpec.of(1, Sizes.GiB)), Map.of(web, PowerState.SHUTOFF)),
                new Step("start", v -> h1.compute().start(web), Map.of(web, PowerState.RUNNING)),
                new Step("suspend", v -> h1.compute().suspend(web), Map.of(web, PowerState.PAUSED)),
                new Step("resume", v -> h1.compute().resume(web), Map.of(web, PowerState.RUNNING)),
                new Step("destroy", v -> h1.compute().destroy(web), Map.of(web, PowerState.SHUTOFF)),
                new Step("undefine", v -> h1.compute().undefine(web), Map.of()));
        int n = 0;
        for (var step : steps) {
            step.op().accept(null);
            Path killedHere = dir.resolve("killed-after-" + step.label() + ".json");
            Files.copy(file, killedHere);
            var restored = SimDatacenter.create("persist-kill-" + n++, 1, clock);
            restored.persistTo(killedHere);
            var states = new TreeMap<UUID, PowerState>();
            domains(restored, "h1").forEach((id, info) -> states.put(id, info.state()));
            assertThat(states).as("state after %s", step.label()).isEqualTo(step.expected());
        }
        // a call that fails has no effect, on the host or on disk
        h1.compute().define(db, "db1", VmSpec.of(1, Sizes.GiB));
        String before = Files.readString(file);
        dc.failNext("h1", Operation.START, 1);
        assertThatThrownBy(() -> h1.compute().start(db)).isInstanceOf(DriverException.class);
        assertThat(Files.readString(file)).isEqualTo(before);
        // a write cut short by a kill is only ever the temporary file: the real one still reads whole
        assertThat(dir.resolve("sim.json.tmp")).doesNotExist();
        Files.writeString(dir.resolve("sim.json.tmp"), "{\"version\":1,\"hosts\":[{\"name\":\"h1\",\"cpus");
        var restored = SimDatacenter.create("persist-kill-partial", 1, clock);
        restored.persistTo(file);
        assertThat(domains(restored, "h1")).containsOnlyKeys(db);
    }

    /** A server on a fresh data folder, in a process where an earlier server used the same data centre, starts afresh. */
    @Test
    void aFreshFileGivesADataCentreNobodyPersistsFreshHosts() {
        var dc = SimDatacenter.create("persist-fresh", 1, clock);
        Path first = dir.resolve("first.json");
        dc.persistTo(first);
        dc.addHost("h1", 8, 16 * Sizes.GiB);
        dc.stopPersistingTo(first);

        dc.persistTo(dir.resolve("fresh.json"));
        assertThat(dc.hosts()).as("no file yet, nobody persisting it: fresh hypervisors").isEmpty();
        dc.stopPersistingTo(dir.resolve("fresh.json"));
        dc.persistTo(first);
        assertThat(dc.hosts()).as("the first folder's hypervisors come back from its file").containsExactly("h1");
    }

    @Test
    void aDataCentreThatAlreadyHasHostsKeepsThemAndWritesThem() {
        Path file = dir.resolve("sim.json");
        var old = SimDatacenter.create("persist-old", 1, clock);
        old.persistTo(file);
        old.addHost("stale", 8, 16 * Sizes.GiB);

        var live = SimDatacenter.create("persist-live", 1, clock);
        live.addHost("h1", 8, 16 * Sizes.GiB);
        live.persistTo(file);
        assertThat(live.hosts()).containsExactly("h1");
        var again = SimDatacenter.create("persist-again", 1, clock);
        again.persistTo(file);
        assertThat(again.hosts()).containsExactly("h1");
    }

    private static Map<UUID, DomainInfo> domains(SimDatacenter dc, String host) {
        var out = new TreeMap<UUID, DomainInfo>();
        for (var d : dc.connect(host).compute().list()) out.put(d.id(), d);
        return out;
    }
}
