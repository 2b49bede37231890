package io.polyvisor.balance;

import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Scheduler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The working state of one balancing run: loads, hard-rule checks, the moves so far and the budget left. */
final class Planning {
    final BalanceInput input;
    final BalanceSettings settings;
    final Loads loads;
    final Scheduler.Session rules;
    final List<Move> moves = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final Set<UUID> moved = new HashSet<>();
    int budget;

    Planning(BalanceInput input, BalanceSettings settings, PlacementSettings placement) {
        this.input = input;
        this.settings = settings;
        this.loads = new Loads(input.snapshot(), input.cpuForecast());
        this.rules = new Scheduler(placement).session(input.snapshot());
        long inFlight = input.snapshot().vms().stream().filter(v -> v.state() instanceof VmState.Migrating).count();
        this.budget = (int) Math.max(0, settings.maxConcurrent() - inFlight);
    }

    double cost(Vm vm) {
        return MigrationCost.seconds(vm.spec().memoryBytes(), input.dirtyRate().getOrDefault(vm.id(), -1L), settings.bandwidthBytesPerSec());
    }

    /** Running, not moved in this plan, not in cooldown, and its migration converges. */
    boolean movable(Vm vm, boolean ignoreCooldown) {
        return !moved.contains(vm.id()) && migratable(vm, ignoreCooldown);
    }

    /** Running, not in cooldown, and its migration converges, whether or not this plan already moves it. */
    boolean migratable(Vm vm, boolean ignoreCooldown) {
        if (!(vm.state() instanceof VmState.Running) || Double.isInfinite(cost(vm))) return false;
        Long last = input.lastMovedAt().get(vm.id());
        return ignoreCooldown || last == null || input.nowSeconds() - last >= settings.cooldownSeconds();
    }

    /** Whether hard rules (capacity reservations, state, labels, affinity) let {@code vm} run on host index {@code h}. */
    boolean allowed(Vm vm, int h) {
        return rules.veto(vm, loads.hosts.get(h).name()) == null;
    }

    /**
     * Why no host but {@code from} takes {@code vm}: each other host with the first hard rule that refuses it, or the
     * load limit it would exceed; at most {@value #WHY_NOT_HOSTS} hosts, then how many more.
     */
    String whyNot(Vm vm, int from, double limit) {
        List<String> why = new ArrayList<>();
        int others = 0;
        for (int h = 0; h < loads.hosts.size(); h++) {
            if (h == from) continue;
            if (others++ >= WHY_NOT_HOSTS) continue;
            String veto = rules.veto(vm, loads.hosts.get(h).name());
            why.add(veto != null ? veto : loads.mem[h] + loads.memOf(vm) > loads.memCap[h]
                    ? "memory: host " + loads.hosts.get(h).name() + " has no memory left for it"
                    : String.format(java.util.Locale.ROOT, "load: host %s would go above %.0f%% CPU", loads.hosts.get(h).name(), 100 * limit));
        }
        if (others == 0) return "there is no other host";
        return String.join("; ", why) + (others > WHY_NOT_HOSTS ? "; and " + (others - WHY_NOT_HOSTS) + " more hosts" : "");
    }

    static final int WHY_NOT_HOSTS = 5;

    void move(Vm vm, int from, int to, Move.Kind kind, String reason) {
        loads.move(vm, from, to);
        rules.relocate(vm, loads.hosts.get(from).name(), loads.hosts.get(to).name());
        moves.add(new Move(vm.id(), vm.name(), loads.hosts.get(from).name(), loads.hosts.get(to).name(), kind, reason, cost(vm)));
        moved.add(vm.id());
        budget--;
    }

    /**
     * Sends {@code vm}, which an earlier move of this plan put on {@code from}, to {@code to} instead: the plan still
     * migrates it once, from where it runs now, and that move (same kind, reason extended by {@code why}) goes to the end
     * of the plan. Sent back to where it runs now, the VM's move is dropped and its migration returns to the budget.
     */
    void retarget(Vm vm, int from, int to, String why) {
        Move earlier = moves.stream().filter(m -> m.vm().equals(vm.id())).findFirst().orElseThrow();
        moves.remove(earlier);
        loads.move(vm, from, to);
        rules.relocate(vm, loads.hosts.get(from).name(), loads.hosts.get(to).name());
        if (earlier.from().equals(loads.hosts.get(to).name())) {
            moved.remove(vm.id());
            budget++;
        } else {
            moves.add(new Move(vm.id(), vm.name(), earlier.from(), loads.hosts.get(to).name(), earlier.kind(), earlier.reason() + "; " + why, cost(vm)));
        }
    }

    /** Undoes the last {@code count} moves (a host evacuation that could not complete). */
    void undo(int count) {
        for (int i = 0; i < count; i++) {
            Move m = moves.removeLast();
            Vm vm = loads.vmsOn(loads.indexOf(m.to())).stream().filter(v -> v.id().equals(m.vm())).findFirst().orElseThrow();
            loads.move(vm, loads.indexOf(m.to()), loads.indexOf(m.from()));
            rules.relocate(vm, m.to(), m.from());
            moved.remove(m.vm());
            budget++;
        }
    }
}
