package io.polyvisor.balance;

import io.polyvisor.model.Vm;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Balance mode: greedy moves from the most to the least loaded hosts, each the best available drop in
 * imbalance net of its migration cost. Every accepted move lowers imbalance by at least
 * {@code minImprovement}, so a plan never raises it. Starts only above {@code tolerance}, then goes on
 * down to {@code tolerance x (1 - hysteresis)} so the next run, on the same load, has nothing to do.
 *
 * <p>Stability: each step is scored on the world as the plan's moves so far leave it, and a VM this plan
 * already moves stays a candidate (its move is retargeted, or dropped if the best place is back where it
 * ran; this costs no extra migration, so it is allowed when the cap is reached). Later moves can make an
 * earlier one a loss; this is how the plan takes it back instead of leaving it for the next run. So a plan
 * that ends for want of a worthwhile move leaves a world where this pass finds none: the next run on it
 * moves nothing, and sends no VM back, even without the cooldowns' memory (unless a cooldown held VMs back
 * this time: forgotten, they become candidates). A plan cut short by the cap is continued by the next
 * run; there the cooldown keeps the plan's VMs in place.
 */
final class SpreadPass {
    private static final int SOURCES = 3, DESTINATIONS = 6;

    static void run(Planning p) {
        Loads l = p.loads;
        if (l.imbalance() <= p.settings.tolerance()) return;
        double stopAt = p.settings.tolerance() * (1 - p.settings.hysteresis());
        while (l.imbalance() > stopAt) {
            double now = l.imbalance(), bestGain = 0;
            Vm bestVm = null;
            int bestFrom = -1, bestTo = -1;
            List<Integer> byLoad = IntStream.range(0, l.hosts.size()).filter(i -> l.open[i]).boxed()
                    .sorted(Comparator.comparingDouble(i -> -load(l, i))).toList();
            for (int from : byLoad.subList(0, Math.min(SOURCES, byLoad.size()))) {
                for (Vm vm : l.vmsOn(from)) {
                    boolean again = p.moved.contains(vm.id());
                    if (!p.migratable(vm, false) || (!again && p.budget <= 0)) continue;
                    for (int k = byLoad.size() - 1; k >= Math.max(0, byLoad.size() - DESTINATIONS); k--) {
                        int to = byLoad.get(k);
                        if (to == from || (l.cpu[to] + l.cpuOf(vm)) > p.settings.highWatermark() * l.cpuCap[to]
                                || l.mem[to] + l.memOf(vm) > l.memCap[to] || !p.allowed(vm, to)) continue;
                        double gain = now - l.imbalanceIfMoved(vm, from, to);
                        double net = gain - p.settings.minImprovement() * p.cost(vm) / 60.0;
                        if (gain >= p.settings.minImprovement() && net > 0 && gain > bestGain) {
                            bestGain = gain;
                            bestVm = vm;
                            bestFrom = from;
                            bestTo = to;
                        }
                    }
                }
            }
            if (bestVm == null) break;
            if (p.moved.contains(bestVm.id())) {
                p.retarget(bestVm, bestFrom, bestTo, String.format(Locale.ROOT, "after the plan's later moves, %s on %s rather than %s"
                        + " lowers imbalance %.3f -> %.3f", bestVm.name(), l.hosts.get(bestTo).name(), l.hosts.get(bestFrom).name(), now, now - bestGain));
                continue;
            }
            String reason = String.format(Locale.ROOT, "host %s at %.0f%% CPU / %.0f%% memory is above the mean; moving %s to %s"
                            + " lowers imbalance %.3f -> %.3f (migration ~%.0f s)", l.hosts.get(bestFrom).name(),
                    100 * l.cpuFraction(bestFrom), 100 * l.memFraction(bestFrom), bestVm.name(), l.hosts.get(bestTo).name(),
                    now, now - bestGain, p.cost(bestVm));
            p.move(bestVm, bestFrom, bestTo, Move.Kind.IMBALANCE, reason);
        }
    }

    private static double load(Loads l, int i) {
        return Math.max(l.cpuFraction(i), l.memFraction(i));
    }
}
