package io.polyvisor.balance;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementPlugins;
import io.polyvisor.placement.Scheduler;
import io.polyvisor.placement.PlacementSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The balancer: a pure function from a snapshot (with measured usage) to a {@link Plan}. It never
 * touches a driver, the store or a clock. Hard rules are those of placement (capacity with overcommit,
 * host state, VM-host rules, affinity), checked through the scheduler's filters for every move.
 *
 * <pre>
 *   input ─► overload relief ─► balance: greedy imbalance moves      ─► Plan(moves, powerDown, notes)
 *                            └► consolidate: empty light hosts, power down
 * </pre>
 */
public final class Balancer {
    private final BalanceSettings settings;
    private final PlacementSettings placement;

    public Balancer(BalanceSettings settings, PlacementSettings placement) {
        this.settings = settings;
        this.placement = placement;
    }

    public BalanceSettings settings() {
        return settings;
    }

    public Plan plan(BalanceInput input) {
        Planning p = new Planning(input, settings, placement);
        double before = p.loads.imbalance();
        boolean packing = settings.mode() == BalanceMode.CONSOLIDATE;
        Destinations dest = new Destinations(p, packing);
        List<String> powerDown = List.of();
        if (packing) {
            powerDown = ConsolidationPass.run(p, dest, OverloadPass.run(p, dest));
        } else {
            SpreadPass.run(p);
        }
        return new Plan(settings.mode(), p.moves, powerDown, before, p.loads.imbalance(), p.notes);
    }

    /**
     * Before {@code host} enters maintenance: its running VMs that belong to a hot-standby pair and that no other host
     * would take under the hard placement rules, because their partner holds the one host left (the standby-apart rule
     * is among the refusals). Each entry names the VM and why every other host refuses it. Load is not considered:
     * an evacuation short of room waits; one that would need to put a pair together never can.
     */
    public List<String> pairsWithNowhereToGo(ClusterSnapshot snapshot, String host) {
        var hosts = snapshot.hosts().stream()
                .map(h -> h.name().equals(host) && h.state().schedulable() ? h.withState(HostState.MAINTENANCE) : h).toList();
        var session = new Scheduler(placement).session(new ClusterSnapshot(hosts, snapshot.vms(), snapshot.usage()));
        List<String> out = new ArrayList<>();
        for (Vm vm : snapshot.vms()) {
            if (!host.equals(vm.host()) || !(vm.state() instanceof VmState.Running)) continue;
            List<String> vetoes = new ArrayList<>();
            for (Host h : hosts) {
                if (h.name().equals(host)) continue;
                String veto = session.veto(vm, h.name());
                if (veto == null) {
                    vetoes = null;
                    break;
                }
                vetoes.add(veto);
            }
            if (vetoes != null && vetoes.stream().anyMatch(v -> v.startsWith(PlacementPlugins.STANDBY_APART + ":"))) {
                out.add(vm.name() + " would have nowhere to go: " + String.join("; ", vetoes));
            }
        }
        return out;
    }

    /**
     * Maintenance: moves every running VM off {@code host}, ignoring cooldowns; the plan lists every move and
     * the controller starts at most {@code maxConcurrent} at a time. Destinations may go up to the high
     * watermark and may be woken.
     */
    public Plan evacuate(BalanceInput input, String host) {
        Planning p = new Planning(input, settings, placement);
        p.budget = Integer.MAX_VALUE;
        int h = p.loads.indexOf(host);
        List<String> notes = new ArrayList<>();
        if (h < 0) return new Plan(settings.mode(), List.of(), List.of(), 0, 0, List.of("host " + host + " does not exist"));
        Destinations dest = new Destinations(p, settings.mode() == BalanceMode.CONSOLIDATE);
        for (Vm vm : new ArrayList<>(p.loads.vmsOn(h))) {
            if (!p.movable(vm, true)) {
                notes.add(vm.name() + " is " + vm.state().label() + " and is not live-migrated");
                continue;
            }
            int to = dest.find(vm, h, true, settings.highWatermark());
            if (to < 0) {
                notes.add("no host can take " + vm.name() + " within the " + (int) (100 * settings.highWatermark()) + "% watermark and the rules: "
                        + p.whyNot(vm, h, settings.highWatermark()));
                continue;
            }
            p.move(vm, h, to, Move.Kind.EVACUATE, String.format(Locale.ROOT, "host %s enters maintenance; %s moves to %s (migration ~%.0f s)",
                    host, vm.name(), p.loads.hosts.get(to).name(), p.cost(vm)));
        }
        notes.addAll(p.notes);
        return new Plan(settings.mode(), p.moves, List.of(), 0, 0, notes);
    }
}
