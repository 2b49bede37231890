package io.polyvisor.bench.replay;

import io.polyvisor.balance.BalanceInput;
import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.balance.Balancer;
import io.polyvisor.balance.HostPower;
import io.polyvisor.balance.LoadForecast;
import io.polyvisor.balance.Move;
import io.polyvisor.balance.Plan;
import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Scheduler;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Polyvisor's own scheduler and balancer (consolidate mode) driven by the replay. Each tick the replay's
 * state becomes a {@link ClusterSnapshot} exactly as the balancer controller builds one from drivers:
 * CPU in units of 10 MIPS (a G4 host has 372, a G5 532; a VM's vCPUs are its MIPS / 10), measured usage
 * from the trace, host power from labels. As in the CCPE model, memory is reserved only at creation, so
 * after t=0 both overcommit ratios are set to their maximum and measured CPU is what limits packing.
 */
final class PolyvisorPolicy implements ReplayPolicy {
    static final double UNIT_MIPS = 10;
    private final BalanceSettings settings;
    private final PlacementSettings afterCreation;
    private final Scheduler atCreation;
    private final Map<Integer, UUID> ids = new HashMap<>();
    private final Map<UUID, SimVm> byId = new HashMap<>();
    private final Map<UUID, Long> lastMoved = new HashMap<>();
    private final Map<String, Long> activeSince = new HashMap<>();
    private Scheduler.Session creation;
    /** Hosts that ran VMs since creation and have not been empty since: not woken by the balancer, so not held. */
    private final Set<String> activeFromStart = new HashSet<>();
    /** Each VM's last samples, as a controller keeps them from its own measurements: the forecast is planned with. */
    private final Map<UUID, LoadForecast.History> history = new HashMap<>();
    private final List<Host> hostRecords = new ArrayList<>();

    PolyvisorPolicy(BalanceSettings settings) {
        this.settings = settings;
        this.afterCreation = PlacementSettings.DEFAULTS.withOvercommit(64, 64);
        this.atCreation = new Scheduler(PlacementSettings.DEFAULTS.withOvercommit(64, 1.0));
    }

    static BalanceSettings defaults() {
        return BalanceSettings.DEFAULTS.withMode(io.polyvisor.balance.BalanceMode.CONSOLIDATE)
                .withAutomation(io.polyvisor.balance.Automation.FULL).withWatermarks(0.95, 0.90).withLimits(3600, 400, 3600);
    }

    @Override
    public String name() {
        return "polyvisor";
    }

    @Override
    public SimHost initialHost(Replay r, SimVm vm) {
        if (creation == null) {
            for (SimHost h : r.hosts) hostRecords.add(host(h));
            creation = atCreation.session(new ClusterSnapshot(hostRecords, List.of(), Map.of()));
        }
        Vm record = vm(vm, null, Map.of("host.prefer.power-class", "efficient"));
        if (creation.place(PlacementRequest.of(record)) instanceof Placement.Placed p) {
            return r.hosts.get(Integer.parseInt(p.host().substring(1)));
        }
        return null;
    }

    @Override
    public List<Migration> optimize(Replay r) {
        long now = (long) r.clock;
        boolean first = history.isEmpty();
        List<Vm> vms = new ArrayList<>();
        Map<UUID, Double> forecast = new HashMap<>();
        Map<UUID, ClusterSnapshot.VmUsage> usage = new HashMap<>();
        for (SimHost h : r.hosts) {
            String name = hostRecords.get(h.id).name();
            if (h.vms.isEmpty()) {
                activeSince.remove(name);
                activeFromStart.remove(name);
            } else if (first) {
                activeFromStart.add(name);
            } else if (!activeFromStart.contains(name)) {
                activeSince.putIfAbsent(name, now);
            }
            for (SimVm v : h.vms) {
                Vm record = vm(v, hostRecords.get(h.id).name(), Map.of());
                vms.add(record);
                usage.put(record.id(), new ClusterSnapshot.VmUsage(v.requested() / UNIT_MIPS, 0));
                forecast.put(record.id(), history.computeIfAbsent(record.id(), k -> new LoadForecast.History()).add(v.requested() / UNIT_MIPS));
            }
        }
        ClusterSnapshot snapshot = new ClusterSnapshot(hostRecords, vms, usage);
        Plan plan = new Balancer(settings, afterCreation).plan(new BalanceInput(snapshot, now, lastMoved, activeSince, forecast, Map.of()));
        List<Migration> out = new ArrayList<>();
        for (Move m : plan.moves()) {
            lastMoved.put(m.vm(), now);
            out.add(new Migration(byId.get(m.vm()), r.hosts.get(Integer.parseInt(m.to().substring(1)))));
        }
        return out;
    }

    private Host host(SimHost h) {
        var labels = new HashMap<String, String>();
        labels.put(HostPower.IDLE_LABEL, fmt(h.power.at(0)));
        labels.put(HostPower.MAX_LABEL, fmt(h.power.at(1)));
        if (h.power == PowerCurve.G5) labels.put("power-class", "efficient");
        return new Host(String.format(Locale.ROOT, "h%03d", h.id), URI.create("sim://replay/h" + h.id),
                new Capacity((int) Math.round(h.totalMips / UNIT_MIPS), 4096 * Sizes.MiB), labels, HostState.CONNECTED);
    }

    private Vm vm(SimVm v, String host, Map<String, String> labels) {
        UUID id = ids.computeIfAbsent(v.id, k -> new UUID(0x5eedL, k));
        byId.putIfAbsent(id, v);
        return new Vm(id, "vm-" + v.id, VmSpec.of((int) Math.round(v.mips / UNIT_MIPS), v.ram * Sizes.MiB), labels, null, null,
                null, VmState.RUNNING, host);
    }

    private static String fmt(double w) {
        return String.format(Locale.ROOT, "%.1f", w);
    }
}
