package io.polyvisor.balance;

import io.polyvisor.model.Vm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Consolidate mode, after overload relief: tries to empty active hosts, least loaded (and least
 * efficient) first, into the other active hosts without waking any. A host is emptied only if every VM
 * on it can move (none in cooldown, all fit under the target), it has been active for at least
 * {@code hostHoldSeconds} (host hysteresis) and the idle power saved over the horizon outweighs the
 * migration cost; then it is listed for power-down and takes no VMs for the rest of the plan.
 *
 * <p>Nor is a host emptied if, once empty, it would take a VM that overload relief could not place
 * ({@code stuck}): the next run would relieve onto it, which makes it a destination again, so the VMs
 * just taken off it could be sent back. Emptying it is the relief's business, not power saving.
 */
final class ConsolidationPass {
    static List<String> run(Planning p, Destinations dest, List<OverloadPass.Stuck> stuck) {
        Loads l = p.loads;
        List<String> powerDown = new ArrayList<>();
        List<Integer> received = p.moves.stream().map(m -> l.indexOf(m.to())).toList();
        List<Integer> candidates = IntStream.range(0, l.hosts.size())
                .filter(i -> l.open[i] && !l.vmsOn(i).isEmpty() && !received.contains(i) && held(p, i)).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> l.cpuFraction(i)).thenComparingDouble(i -> -dest.watts(i)))
                .toList();
        for (int h : candidates) {
            List<Vm> vms = new ArrayList<>(l.vmsOn(h));
            if (vms.size() > p.budget || !vms.stream().allMatch(v -> p.movable(v, false))) continue;
            double seconds = vms.stream().mapToDouble(p::cost).sum();
            double idle = HostPower.of(l.hosts.get(h)).idleWatts();
            if (idle * p.settings.horizonSeconds() < p.settings.penaltyWatts() * seconds) continue;
            dest.closed.add(h);
            vms.sort(Comparator.comparingDouble(l::cpuOf).reversed());
            int done = 0;
            double load = l.cpuFraction(h);
            for (Vm vm : vms) {
                int to = dest.find(vm, h, false);
                if (to < 0) break;
                p.move(vm, h, to, Move.Kind.CONSOLIDATE, String.format(Locale.ROOT,
                        "host %s runs at %.0f%% CPU; emptying it saves ~%.0f W idle; %s moves to %s (migration ~%.0f s)",
                        l.hosts.get(h).name(), 100 * load, idle, vm.name(), l.hosts.get(to).name(), p.cost(vm)));
                done++;
            }
            OverloadPass.Stuck wanted = done < vms.size() ? null
                    : stuck.stream().filter(s -> dest.fits(s.vm(), h, p.settings.targetUtilization()) && p.allowed(s.vm(), h)).findFirst().orElse(null);
            if (done < vms.size() || wanted != null) {
                if (wanted != null) p.notes.add("host " + l.hosts.get(h).name() + " is not emptied: empty, it would take " + wanted.vm().name()
                        + ", which no host takes off overloaded host " + l.hosts.get(wanted.host()).name());
                p.undo(done);
                dest.closed.remove(h);
                continue;
            }
            powerDown.add(l.hosts.get(h).name());
        }
        return powerDown;
    }

    private static boolean held(Planning p, int h) {
        Long since = p.input.hostActiveSince().get(p.loads.hosts.get(h).name());
        return since == null || p.input.nowSeconds() - since >= p.settings.hostHoldSeconds();
    }
}
