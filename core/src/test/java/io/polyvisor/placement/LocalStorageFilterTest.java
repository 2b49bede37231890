package io.polyvisor.placement;

import io.polyvisor.disk.SharedPool;
import io.polyvisor.model.Disk;
import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static io.polyvisor.placement.Fixtures.host;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a VM's disks can be reached: h1 declares shared pool nfs1, h2 declares nfs1 and nfs2, h3 none. A VM on shared
 * pools goes to (or is restarted on) any host declaring all of them, never elsewhere even when named; a VM on its host's
 * local pool stays there unless a host is named (a block migration).
 */
class LocalStorageFilterTest {
    final Scheduler scheduler = new Scheduler(PlacementSettings.DEFAULTS);

    static ClusterSnapshot cluster(Vm... vms) {
        return ClusterSnapshot.of(List.of(
                host("h1", 8, 16, HostState.CONNECTED, SharedPool.labels(List.of("nfs1"))),
                host("h2", 8, 16, HostState.CONNECTED, SharedPool.labels(List.of("nfs1", "nfs2"))),
                host("h3", 64, 256)), List.of(vms));
    }

    static Vm db(String host, Disk... disks) {
        return new Vm(UUID.nameUUIDFromBytes("db".getBytes()), "db", VmSpec.of(1, Sizes.GiB).withDisks(List.of(disks)), Map.of(),
                Protection.RESTART, null, PowerIntent.RUNNING, host == null ? VmState.PENDING : VmState.RUNNING, host);
    }

    /** case, request, where it may go (null: rejected), the rejection's reason (null when placed or not checked). */
    static Stream<Arguments> cases() {
        Vm shared = db("h1", Disk.of("data", "nfs1"));
        Vm both = db("h2", Disk.of("a", "nfs1"), Disk.of("b", "nfs2"));
        Vm local = db("h1", Disk.of("root"));
        Vm mixed = db("h1", Disk.of("root"), Disk.of("data", "nfs1"));
        return Stream.of(
                Arguments.of("HA restart of a VM on nfs1 (h1 lost): h2, not the much larger h3",
                        new PlacementRequest(shared, null, Set.of("h1")), Set.of("h2"), null),
                Arguments.of("a new VM on nfs1: a host that declares it", PlacementRequest.of(db(null, Disk.of("data", "nfs1"))),
                        Set.of("h1", "h2"), null),
                Arguments.of("migrate a VM on nfs1 to h3, which does not declare it", new PlacementRequest(shared, "h3", Set.of()), null,
                        "host h3 cannot run db: the VM's disk data is in shared pool nfs1, which host h3 does not declare"),
                Arguments.of("migrate a VM on nfs1 to h2", new PlacementRequest(shared, "h2", Set.of()), Set.of("h2"), null),
                Arguments.of("disks on nfs1 and nfs2: only h2 declares both", PlacementRequest.of(db(null, Disk.of("a", "nfs1"), Disk.of("b", "nfs2"))),
                        Set.of("h2"), null),
                Arguments.of("disks on nfs1 and nfs2, h2 lost: nowhere", new PlacementRequest(both, null, Set.of("h2")), null,
                        "no host can run db: pinning excluded 1 host, local-storage excluded 2 hosts"),
                Arguments.of("HA restart of a VM on local disks: nowhere", new PlacementRequest(local, null, Set.of("h1")), null,
                        "no host can run db: pinning excluded 1 host, local-storage excluded 2 hosts"),
                Arguments.of("block migration of a VM on local disks to a named host", new PlacementRequest(local, "h3", Set.of()), Set.of("h3"), null),
                Arguments.of("a VM with a local and a shared disk, migrated to h2", new PlacementRequest(mixed, "h2", Set.of()), Set.of("h2"), null),
                Arguments.of("a VM with a local and a shared disk, migrated to h3", new PlacementRequest(mixed, "h3", Set.of()), null,
                        "host h3 cannot run db: the VM's disk data is in shared pool nfs1, which host h3 does not declare"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void disksAreReachedWhereTheyLive(String name, PlacementRequest request, Set<String> allowed, String reason) {
        Placement p = scheduler.place(cluster(), request);
        if (allowed == null) {
            assertThat(p).isInstanceOfSatisfying(Placement.Rejected.class, r -> {
                assertThat(r.reason()).isEqualTo(reason);
                assertThat(r.excludedBy()).containsKey(LocalStorageFilter.NAME);
            });
        } else {
            assertThat(p).isInstanceOfSatisfying(Placement.Placed.class, placed -> assertThat(allowed).contains(placed.host()));
        }
    }
}
