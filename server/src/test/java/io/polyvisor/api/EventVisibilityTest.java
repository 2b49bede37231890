package io.polyvisor.api;

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

/** Which events a caller's stream carries, over VM rows held in memory. */
class EventVisibilityTest {
    private final Map<String, String> live = new HashMap<>();
    private final List<Vm> rows = new ArrayList<>();
    private int bulkReads;
    private final List<String> singleReads = new ArrayList<>();

    private EventVisibility of(Principal who) {
        return new EventVisibility(who, () -> {
            bulkReads++;
            return List.copyOf(rows);
        }, name -> {
            singleReads.add(name);
            return Optional.ofNullable(live.get(name));
        });
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
        assertThat(viewer.sees(e("network.created", "web1"))).as("only vm.* and task.*").isFalse();
        assertThat(viewer.sees(new Event(2, Instant.EPOCH, "vm.state", null, "no subject"))).isFalse();
        assertThat(viewer.sees(e("vm.state", "nobody"))).isFalse();
        assertThat(bulkReads).as("the rows are read once for the stream").isEqualTo(1);
        assertThat(singleReads).containsExactly("nobody");
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
}
