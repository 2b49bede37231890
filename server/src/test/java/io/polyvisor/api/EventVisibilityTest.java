package io.polyvisor.api;

import io.polyvisor.access.Owned;
import io.polyvisor.access.Principal;
import io.polyvisor.access.Role;
import io.polyvisor.model.Event;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which events a caller's stream carries, over VM rows and owners of networks, volumes and groups held in memory. */
class EventVisibilityTest {
    private final Map<String, String> live = new HashMap<>();
    private final List<Vm> rows = new ArrayList<>();
    private final Map<Owned, Map<String, String>> owners = new HashMap<>();
    private int bulkReads;
    private final List<String> singleReads = new ArrayList<>();

    private EventVisibility of(Principal who) {
        return new EventVisibility(who, new EventVisibility.Projects() {
            public List<Vm> everyVm() {
                bulkReads++;
                return List.copyOf(rows);
            }

            public Optional<String> ofVm(String name) {
                singleReads.add(name);
                return Optional.ofNullable(live.get(name));
            }

            public Map<String, String> owners(Owned kind) {
                bulkReads++;
                return Map.copyOf(owners.getOrDefault(kind, Map.of()));
            }

            public Optional<String> of(Owned kind, String name) {
                singleReads.add(kind.label() + " " + name);
                return Optional.ofNullable(owners.getOrDefault(kind, Map.of()).get(name));
            }
        });
    }

    private void own(Owned kind, String name, String project) {
        owners.computeIfAbsent(kind, k -> new HashMap<>()).put(name, project);
    }

    private void vm(String name, String project, boolean deleted) {
        rows.add(new Vm(UUID.randomUUID(), name, VmSpec.of(1, VmSpec.MIN_MEMORY), Map.of(), null, null, null,
                deleted ? VmState.DELETED : VmState.RUNNING, null, project));
        if (!deleted) live.put(name, project);
    }

    private static Event e(String type, String subject) {
        return new Event(1, Instant.EPOCH, type, subject, subject + " " + type);
    }

    @Test
    void anAdminSeesEveryEvent() {
        var admin = of(Principal.BOOTSTRAP_ADMIN);
        for (String type : List.of("host.added", "vm.state", "user.created", "retention.pruned")) assertThat(admin.sees(e(type, "x"))).isTrue();
        assertThat(bulkReads).isZero();
    }

    @Test
    void othersSeeTheVmAndTaskEventsOfTheirProjectsVmsOnly() {
        vm("web1", "web", false);
        vm("old1", "web", true);
        vm("other1", "default", false);
        var viewer = of(new Principal("vera", Role.VIEWER, Set.of("web")));
        assertThat(viewer.sees(e("vm.state", "web1"))).isTrue();
        assertThat(viewer.sees(e("task.succeeded", "web1"))).isTrue();
        assertThat(viewer.sees(e("vm.deleted", "old1"))).as("a deleted VM of the project").isTrue();
        assertThat(viewer.sees(e("vm.state", "other1"))).isFalse();
        assertThat(viewer.sees(e("host.added", "h1"))).isFalse();
        assertThat(viewer.sees(e("network.created", "web1"))).as("no network of that name").isFalse();
        assertThat(viewer.sees(new Event(2, Instant.EPOCH, "vm.state", null, "no subject"))).isFalse();
        assertThat(viewer.sees(e("vm.state", "nobody"))).isFalse();
        assertThat(bulkReads).as("the VM rows and network owners are read once each for the stream").isEqualTo(2);
        assertThat(singleReads).containsExactly("network web1", "nobody");
    }

    @Test
    void aNameTakenAgainInAnotherProjectIsLookedUpAgainAtItsCreate() {
        vm("app", "web", false);
        var viewer = of(new Principal("vera", Role.VIEWER, Set.of("web")));
        assertThat(viewer.sees(e("vm.state", "app"))).isTrue();
        assertThat(viewer.sees(e("vm.deleted", "app"))).as("its own deletion, from what the stream knew").isTrue();
        live.put("app", "default"); // deleted, then made again in another project
        assertThat(viewer.sees(e("vm.created", "app"))).isFalse();
        assertThat(viewer.sees(e("vm.state", "app"))).isFalse();
    }

    @Test
    void anOperatorSeesTheNetworkVolumeAndGroupEventsOfItsProjectsOnly() {
        own(Owned.NETWORK, "pnet", "p");
        own(Owned.NETWORK, "qnet", "q");
        own(Owned.VOLUME, "pvol", "p");
        own(Owned.VOLUME, "qvol", "q");
        own(Owned.GROUP, "pweb", "p");
        own(Owned.GROUP, "qweb", "q");
        vm("p1", "p", false);
        var operator = of(new Principal("olga", Role.OPERATOR, Set.of("p")));
        assertThat(operator.sees(e("network.created", "pnet"))).isTrue();
        assertThat(operator.sees(e("network.host-failed", "pnet"))).isTrue();
        assertThat(operator.sees(e("network.created", "qnet"))).isFalse();
        assertThat(operator.sees(e("volume.attached", "pvol"))).isTrue();
        assertThat(operator.sees(e("volume.resized", "qvol"))).isFalse();
        assertThat(operator.sees(e("group.scaled", "pweb"))).isTrue();
        assertThat(operator.sees(e("group.scaled", "qweb"))).isFalse();
        assertThat(operator.sees(e("snapshot.created", "p1"))).as("a snapshot of its VM").isTrue();
        assertThat(operator.sees(e("nic.attached", "p1"))).as("a NIC of its VM").isTrue();
        own(Owned.SECGROUP, "psg", "p");
        own(Owned.SECGROUP, "qsg", "q");
        own(Owned.TEMPLATE, "ptpl", "p");
        assertThat(operator.sees(e("secgroup.rules", "psg"))).as("its project's security group").isTrue();
        assertThat(operator.sees(e("secgroup.rules", "qsg"))).isFalse();
        assertThat(operator.sees(e("template.created", "ptpl"))).as("its project's template").isTrue();
        for (String adminOnly : List.of("host.added", "ha.failover", "user.created", "project.created", "settings.changed",
                "image.imported", "pool.created")) {
            assertThat(operator.sees(e(adminOnly, "pnet"))).as(adminOnly).isFalse();
        }
        var q = of(new Principal("quinn", Role.VIEWER, Set.of("q")));
        assertThat(q.sees(e("network.deleted", "qnet"))).isTrue();
        assertThat(q.sees(e("network.deleted", "pnet"))).isFalse();
    }

    @Test
    void aDeletedObjectsEventsReachWhoSawItAndANameTakenAgainIsLookedUpAtItsCreate() {
        own(Owned.NETWORK, "app", "p");
        var operator = of(new Principal("olga", Role.OPERATOR, Set.of("p")));
        assertThat(operator.sees(e("network.created", "app"))).isTrue();
        owners.get(Owned.NETWORK).remove("app"); // deleted: its owner goes with it
        assertThat(operator.sees(e("network.deleted", "app"))).as("its own deletion, from what the stream knew").isTrue();
        own(Owned.NETWORK, "app", "q"); // made again in another project
        assertThat(operator.sees(e("network.created", "app"))).isFalse();
        assertThat(operator.sees(e("network.deleted", "app"))).isFalse();

        var late = of(new Principal("lee", Role.OPERATOR, Set.of("p", "default")));
        assertThat(late.sees(e("volume.deleted", "gone"))).as("an object gone before the stream read owners: nobody's").isFalse();
        assertThat(singleReads).contains("network app", "volume gone");
    }
}
