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
 * per second of migration. Destinations come from {@link Destinations}. Runs in both modes, first.
 */
final class OverloadPass {
    static void run(Planning p, Destinations dest) {
        Loads l = p.loads;
        double high = p.settings.highWatermark(), target = p.settings.targetUtilization();
        List<Integer> hot = IntStream.range(0, l.hosts.size())
                .filter(i -> l.open[i] && (l.cpuFraction(i) > high || l.memFraction(i) > 1.0)).boxed()
                .sorted(Comparator.comparingDouble(i -> -l.cpuFraction(i))).toList();
        for (int h : hot) {
            double before = l.cpuFraction(h);
            while (p.budget > 0 && (l.cpuFraction(h) > target || l.memFraction(h) > 1.0)) {
                Vm vm = pick(p, h, target);
                if (vm == null) break;
                int to = dest.find(vm, h, true);
                if (to < 0) {
                    p.notes.add("host " + l.hosts.get(h).name() + " is overloaded but no host can take " + vm.name());
                    break;
                }
                p.move(vm, h, to, Move.Kind.OVERLOAD, String.format(Locale.ROOT,
                        "host %s at %.0f%% CPU is above the %.0f%% watermark; %s (%.2f cores, migration ~%.0f s) moves to %s",
                        l.hosts.get(h).name(), 100 * before, 100 * high, vm.name(), l.cpuOf(vm), p.cost(vm), l.hosts.get(to).name()));
            }
        }
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
