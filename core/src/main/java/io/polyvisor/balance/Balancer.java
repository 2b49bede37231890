package io.polyvisor.balance;

import io.polyvisor.model.Vm;
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
            OverloadPass.run(p, dest);
            powerDown = ConsolidationPass.run(p, dest);
        } else {
            SpreadPass.run(p);
        }
        return new Plan(settings.mode(), p.moves, powerDown, before, p.loads.imbalance(), p.notes);
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
