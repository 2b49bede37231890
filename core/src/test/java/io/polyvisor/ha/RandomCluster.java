package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.FirstFit;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** A random but valid cluster: VMs placed by FirstFit (so no host starts over capacity), standby pairs apart. */
record RandomCluster(ClusterSnapshot snapshot) {

    static RandomCluster generate(Random rnd, int maxHosts, int maxVms) {
        int nHosts = 2 + rnd.nextInt(maxHosts - 1);
        var hosts = new ArrayList<Host>();
        for (int i = 0; i < nHosts; i++) hosts.add(Fixtures.host("h" + i, 4 + rnd.nextInt(13)));
        var vms = new ArrayList<Vm>();
        var placer = new FirstFit();
        int nVms = rnd.nextInt(maxVms + 1);
        for (int i = 0; i < nVms; i++) {
            Protection p = Protection.values()[rnd.nextInt(3)];
            Vm vm = Fixtures.vm("vm" + i, 1 + rnd.nextInt(4), null, p, 1 + rnd.nextInt(5));
            if (rnd.nextInt(4) == 0) vm = Fixtures.withLabel(vm, HaLabels.START_ORDER, String.valueOf(rnd.nextInt(100)));
            // spread: try hosts in a random rotation so FirstFit does not fill h0 first
            String start = "h" + rnd.nextInt(nHosts);
            var placed = placer.place(ClusterSnapshot.of(rotate(hosts, start), vms), PlacementRequest.of(vm));
            if (!(placed instanceof Placement.Placed pl)) continue;
            vm = vm.withHost(pl.host());
            vms.add(vm);
            if (p == Protection.STANDBY) {
                Vm sb = Fixtures.standbyOf(vm, null);
                var sbPlaced = placer.place(ClusterSnapshot.of(rotate(hosts, start), vms), new PlacementRequest(sb, null, Set.of(pl.host())));
                if (sbPlaced instanceof Placement.Placed s) vms.add(sb.withHost(s.host()));
            }
        }
        return new RandomCluster(ClusterSnapshot.of(hosts, vms));
    }

    /** A random health per host, at least one host healthy. */
    Map<String, HostHealth> randomHealth(Random rnd) {
        var health = new HashMap<String, HostHealth>();
        for (Host h : snapshot.hosts()) {
            HostHealth v = switch (rnd.nextInt(8)) {
                case 0 -> new HostHealth.Unreachable(0);
                case 1 -> Fixtures.dead();
                case 2 -> new HostHealth.FenceFailed(0, "no fence method");
                case 3 -> new HostHealth.Fencing(0);
                case 4 -> new HostHealth.Suspect(0);
                default -> new HostHealth.Healthy(0);
            };
            health.put(h.name(), v);
        }
        health.put(snapshot.hosts().get(rnd.nextInt(snapshot.hosts().size())).name(), new HostHealth.Healthy(0));
        return health;
    }

    private static List<Host> rotate(List<Host> hosts, String first) {
        int i = 0;
        while (!hosts.get(i).name().equals(first)) i++;
        var out = new ArrayList<>(hosts.subList(i, hosts.size()));
        out.addAll(hosts.subList(0, i));
        return out;
    }
}
