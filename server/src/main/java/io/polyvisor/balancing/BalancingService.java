package io.polyvisor.balancing;

import io.polyvisor.balance.Automation;
import io.polyvisor.balance.BalanceInput;
import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.balance.Balancer;
import io.polyvisor.balance.Move;
import io.polyvisor.balance.Plan;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Refusal;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Explanation;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Scheduler;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The imperative shell around the pure balancer: builds its input from the store (when each VM last
 * migrated, from the task history), the measured usage and each VM's forecast CPU ({@link VmLoadForecasts}), and carries plans out as MIGRATE tasks through
 * {@link VmRequests} (so the lifecycle controller executes them through the driver SPI, sim and libvirt alike).
 * Its settings are the stored document {@link BalanceSettingsDocument#KEY balance}, read at every use (so a
 * second server on the same database follows a change); invalid stored settings stop it at construction.
 */
public final class BalancingService {
    private final Store store;
    private final SettingsStore stored;
    private final Supplier<ClusterSnapshot> snapshot;
    private final VmRequests vms;
    private final Journal journal;
    private final PlacementSettings placement;
    private final Supplier<Map<UUID, Long>> dirtyRates;
    private final VmLoadForecasts forecasts = new VmLoadForecasts();

    /** A move the service tried to queue: its task, or why it was refused. */
    public record Applied(Move move, Task task, String refused) {}

    /** @param dirtyRates memory dirty rate (bytes/s) per VM where the driver reports one (migration cost) */
    public BalancingService(Store store, Supplier<ClusterSnapshot> snapshot, Supplier<Map<UUID, Long>> dirtyRates, VmRequests vms,
                            Journal journal, PlacementSettings placement) {
        this.dirtyRates = dirtyRates;
        this.store = store;
        this.stored = new SettingsStore(store);
        this.snapshot = snapshot;
        this.vms = vms;
        this.journal = journal;
        this.placement = placement;
        settings(); // invalid stored settings fail the start, not the first plan
    }

    public BalanceSettings settings() {
        return stored.load(BalanceSettingsDocument.KEY);
    }

    /** Changes the mode and automation level (null keeps the current one). */
    public BalanceSettings configure(BalanceMode mode, Automation automation) {
        BalanceSettings s = settings();
        if (mode != null) s = s.withMode(mode);
        if (automation != null) s = s.withAutomation(automation);
        stored.save(BalanceSettingsDocument.KEY, s);
        journal.record(BalancingEvent.BALANCE_SETTINGS, "cluster", "balancer mode " + s.mode().label() + ", automation " + s.automation().label());
        return s;
    }

    /** The plan the balancer proposes now, in {@code mode} (null = the configured mode); records no load sample. */
    public Plan plan(BalanceMode mode, long nowSeconds) {
        BalanceSettings s = mode == null ? settings() : settings().withMode(mode);
        return new Balancer(s, placement).plan(input(nowSeconds, false));
    }

    /** A balancer round's plan in the configured mode: the VMs' measured CPU now becomes a sample of their forecasts. */
    Plan planRound(long nowSeconds) {
        return new Balancer(settings(), placement).plan(input(nowSeconds, true));
    }

    /** The plan that empties {@code host} (maintenance). */
    public Plan evacuation(String host, long nowSeconds) {
        return new Balancer(settings(), placement).evacuate(input(nowSeconds, false), host);
    }

    /** Queues a MIGRATE task per move; a move refused (VM busy, destination gone) is reported, not thrown. */
    public List<Applied> apply(List<Move> moves) {
        List<Applied> out = new ArrayList<>();
        for (Move m : moves) {
            try {
                out.add(new Applied(m, vms.request(m.vm().toString(), Task.Kind.MIGRATE, m.to()), null));
            } catch (Refusal r) {
                out.add(new Applied(m, null, r.getMessage()));
            }
        }
        return out;
    }

    /** Where {@code vmRef} would be placed now and how every host scored, as if it were not placed anywhere. */
    public Explanation explain(String vmRef) {
        Vm vm = vms.find(vmRef);
        ClusterSnapshot s = snapshot.get();
        ClusterSnapshot without = new ClusterSnapshot(s.hosts(), s.vms().stream().filter(v -> !v.id().equals(vm.id())).toList(), s.usage());
        return new Scheduler(placement).explain(without, PlacementRequest.of(vm.withHost(null)));
    }

    /** {@code round}: a balancer round, whose measured CPU is recorded as the VMs' next load sample. */
    private BalanceInput input(long nowSeconds, boolean round) {
        Map<UUID, Long> lastMoved = new HashMap<>();
        for (Task t : store.tasks(null, null, 2000)) {
            if (t.kind() != Task.Kind.MIGRATE) continue;
            lastMoved.merge(t.vmId(), t.updated().getEpochSecond(), Math::max);
        }
        ClusterSnapshot s = snapshot.get();
        Map<UUID, Double> cpu = round ? forecasts.record(s) : forecasts.peek(s);
        return new BalanceInput(s, nowSeconds, lastMoved, Map.of(), cpu, dirtyRates.get());
    }
}
