package io.polyvisor.balance;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementRules;
import io.polyvisor.placement.PlacementSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.polyvisor.placement.Fixtures.host;
import static io.polyvisor.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/** The balancer's moves and maintenance evacuation never put a VM beside its hot standby; when nothing else is left, they say why. */
class BalancerStandbyTest {
    static final UUID WEB = UUID.nameUUIDFromBytes("web2".getBytes());
    static final Vm PRIMARY = new Vm(WEB, "web2", VmSpec.of(2, Sizes.GiB), Map.of(), Protection.STANDBY, null, PowerIntent.RUNNING,
            VmState.RUNNING, "h1");
    static final Vm STANDBY = new Vm(UUID.nameUUIDFromBytes("web2-standby".getBytes()), "web2-standby", VmSpec.of(2, Sizes.GiB),
            Map.of(PlacementRules.STANDBY_OF, WEB.toString()), Protection.NONE, null, PowerIntent.RUNNING, VmState.RUNNING, "h2");

    /** CPU cores used per VM name; VMs not listed use none. */
    static ClusterSnapshot snapshot(List<Host> hosts, List<Vm> vms, Map<String, Double> cores) {
        Map<UUID, ClusterSnapshot.VmUsage> u = new HashMap<>();
        for (Vm v : vms) u.put(v.id(), new ClusterSnapshot.VmUsage(cores.getOrDefault(v.name(), 0.0), Sizes.GiB));
        return new ClusterSnapshot(hosts, vms, u);
    }

    /** case, plan, where web2 may end up (null: it must not move), a note the plan must carry (null: none needed). */
    static Stream<Arguments> cases() {
        var spread = new Balancer(BalanceSettings.DEFAULTS, PlacementSettings.DEFAULTS);
        var hosts = List.of(host("h1", 4, 16), host("h2", 4, 16));
        // the best single move is web2 (1.6 cores) to h2, which evens the load; h2 runs its standby, so busy (1.7) moves
        var hot = snapshot(hosts, List.of(PRIMARY, vm("busy", 2, 1, "h1", Map.of()), STANDBY), Map.of("web2", 1.6, "busy", 1.7));
        // h2 is the least loaded host an evacuation would pick, but it runs the standby: h3 takes web2
        var three = List.of(host("h1", 4, 16, HostState.MAINTENANCE, Map.of()), host("h2", 4, 16), host("h3", 4, 16));
        var evac = snapshot(three, List.of(PRIMARY, STANDBY, vm("load", 2, 1, "h3", Map.of())), Map.of("web2", 0.5, "load", 1.0));
        var two = List.of(host("h1", 4, 16, HostState.MAINTENANCE, Map.of()), host("h2", 4, 16));
        var stuck = snapshot(two, List.of(PRIMARY, STANDBY), Map.of("web2", 0.5));
        return Stream.of(
                Arguments.of("balance: the move that evens the load best would join the pair", spread.plan(BalanceInput.of(hot, 1000)), null, null),
                Arguments.of("evacuation: the least loaded host runs the standby", spread.evacuate(BalanceInput.of(evac, 1000), "h1"), "h3", null),
                Arguments.of("evacuation: only the standby's host is left", spread.evacuate(BalanceInput.of(stuck, 1000), "h1"), null,
                        "no host can take web2 within the 85% watermark and the rules: standby-apart: host h2 runs web2-standby, the standby"
                                + " of web2; a VM and its standby never share a host"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pairsStayApart(String name, Plan plan, String webTo, String note) {
        var web = plan.moves().stream().filter(m -> m.vmName().equals("web2")).toList();
        if (webTo == null) assertThat(web).as(plan.toString()).isEmpty();
        else assertThat(web).as(plan.toString()).singleElement().satisfies(m -> assertThat(m.to()).isEqualTo(webTo));
        assertThat(plan.moves()).noneMatch(m -> m.vmName().equals("web2-standby") && m.to().equals("h1"));
        if (note != null) assertThat(plan.notes()).contains(note);
        if (name.startsWith("balance")) assertThat(plan.moves()).isNotEmpty(); // it still balances, with another VM
    }

    /** case, hosts, VMs, host entering maintenance, expected blockers. */
    static Stream<Arguments> maintenance() {
        var two = List.of(host("h1", 4, 16), host("h2", 4, 16));
        var three = List.of(host("h1", 4, 16), host("h2", 4, 16), host("h3", 4, 16));
        var thirdFailed = List.of(host("h1", 4, 16), host("h2", 4, 16), host("h3", 4, 16, HostState.FAILED, Map.of()));
        var thirdFull = List.of(host("h1", 4, 16), host("h2", 4, 16), host("h3", 4, 1));
        String sb = "standby-apart: host h2 runs web2-standby, the standby of web2; a VM and its standby never share a host";
        return Stream.of(
                Arguments.of("two hosts: the primary has nowhere to go", two, List.of(PRIMARY, STANDBY), "h1",
                        List.of("web2 would have nowhere to go: " + sb)),
                Arguments.of("two hosts: neither has the standby", two, List.of(PRIMARY, STANDBY), "h2",
                        List.of("web2-standby would have nowhere to go: standby-apart: host h1 runs web2, whose standby is web2-standby;"
                                + " a VM and its standby never share a host")),
                Arguments.of("a third host takes it", three, List.of(PRIMARY, STANDBY), "h1", List.of()),
                Arguments.of("the third host failed", thirdFailed, List.of(PRIMARY, STANDBY), "h1",
                        List.of("web2 would have nowhere to go: " + sb + "; host-state: host h3 is failed")),
                Arguments.of("the third host has no room", thirdFull, List.of(PRIMARY, STANDBY, vm("fat", 1, 1, "h3", Map.of())), "h1",
                        List.of("web2 would have nowhere to go: " + sb + "; capacity: host h3 has 0 B of memory free, the VM needs 1 GiB")),
                Arguments.of("a VM outside a pair is the evacuation's business", two, List.of(vm("plain", 1, 1, "h1", Map.of())), "h1", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maintenance")
    void maintenanceIsCheckedForPairsWithNowhereToGo(String name, List<Host> hosts, List<Vm> vms, String host, List<String> expected) {
        var balancer = new Balancer(BalanceSettings.DEFAULTS, PlacementSettings.DEFAULTS);
        assertThat(balancer.pairsWithNowhereToGo(ClusterSnapshot.of(hosts, vms), host)).isEqualTo(expected);
    }
}
