package io.polyvisor.balance;

import io.polyvisor.model.Vm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Relieves hosts whose measured CPU or memory is above the high watermark, down to the target: each
 * step moves the cheapest VM whose departure reaches the target, else the VM that sheds the most CPU
 * per second of migration. Destinations come from {@link Destinations}. Runs in consolidate mode, first.
 *
 * <p>Rounds over the hosts still overloaded repeat until one moves nothing, so a host that found no
 * destination gets another try once the relief of the others has changed the world. The VMs that then
 * still find none are returned (and named in the notes): on the world this pass leaves, the next run's
 * relief finds no more to do than this one did, unless a later pass makes room for one of them.
 */
final class OverloadPass {
    /** A VM relief chose to move off overloaded host index {@code host} and that no host would take. */
    record Stuck(Vm vm, int host) {}

    static List<Stuck> run(Planning p, Destinations dest) {
        Loads l = p.loads;
        List<Stuck> stuck = new ArrayList<>();
        for (boolean moved = true; moved; ) {
            moved = false;
            stuck.clear();
            for (int h : overloaded(p)) {
                double before = l.cpuFraction(h);
                while (p.budget > 0 && (l.cpuFraction(h) > p.settings.targetUtilization() || l.memFraction(h) > 1.0)) {
                    Vm vm = pick(p, h, p.settings.targetUtilization());
                    if (vm == null) break;
                    int to = dest.find(vm, h, true);
                    if (to < 0) {
                        stuck.add(new Stuck(vm, h));
                        break;
                    }
                    p.move(vm, h, to, Move.Kind.OVERLOAD, String.format(Locale.ROOT,
                            "host %s at %.0f%% CPU is above the %.0f%% watermark; %s (%.2f cores, migration ~%.0f s) moves to %s",
                            l.hosts.get(h).name(), 100 * before, 100 * p.settings.highWatermark(), vm.name(), l.cpuOf(vm), p.cost(vm),
                            l.hosts.get(to).name()));
                    moved = true;
                }
            }
        }
        for (Stuck s : stuck) p.notes.add("host " + l.hosts.get(s.host()).name() + " is overloaded but no host can take " + s.vm().name());
        return stuck;
    }

    /** Open hosts above the high watermark in CPU or above their memory, hottest first. */
    private static List<Integer> overloaded(Planning p) {
        Loads l = p.loads;
        return IntStream.range(0, l.hosts.size())
                .filter(i -> l.open[i] && (l.cpuFraction(i) > p.settings.highWatermark() || l.memFraction(i) > 1.0)).boxed()
                .sorted(Comparator.comparingDouble(i -> -l.cpuFraction(i))).toList();
    }

    private static Vm pick(Planning p, int h, double target) {
        Loads l = p.loads;
        double excess = l.cpu[h] - target * l.cpuCap[h];
        List<Vm> movable = new ArrayList<>();
        for (Vm vm : l.vmsOn(h)) if (p.movable(vm, false)) movable.add(vm);
        Vm enough = movable.stream().filter(v -> l.cpuOf(v) >= excess).min(Comparator.comparingDouble(p::cost)).orElse(null);
        if (enough != null) return enough;
        return movable.stream().filter(v -> l.cpuOf(v) > 0 || l.memFraction(h) > 1.0)
                .max(Comparator.comparingDouble(v -> l.cpuOf(v) / Math.max(1e-9, p.cost(v)))).orElse(null);
    }
}
