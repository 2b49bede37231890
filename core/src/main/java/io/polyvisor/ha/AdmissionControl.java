package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Tolerate N host failures": would every protected VM still have a host if any N of the schedulable
 * hosts failed at once? Checked by running the real {@link RecoveryPlanner} (so the same placer, rules and
 * ordering) on each scenario with those hosts fenced, and looking for protected VMs it cannot place.
 *
 * <p>Every combination of N hosts is checked while there are at most {@value #MAX_SCENARIOS}; beyond that
 * the scenarios are the N hosts carrying the most protected memory and the N largest hosts (a heuristic,
 * stated in docs/HA.md). Protected VMs with a disk in their host's local pool ({@link LocalDisks}) are left out: they
 * cannot be restarted elsewhere, so no room is reserved for them. Pure; cost is scenarios x restarts x placer calls.
 */
public final class AdmissionControl {
    static final int MAX_SCENARIOS = 2_000;
    private final RecoveryPlanner planner;

    public AdmissionControl(RecoveryPlanner planner) {
        this.planner = planner;
    }

    /** Checks the cluster as it is, e.g. for {@code ha status}. */
    public Admission check(ClusterSnapshot snapshot, HaSettings settings) {
        int n = settings.tolerateHostFailures();
        if (n == 0) return new Admission.Admitted(Admission.Reserve.NONE);
        List<Host> candidates = snapshot.hosts().stream().filter(h -> h.state().schedulable()).toList();
        if (candidates.size() <= n) {
            return new Admission.Rejected("admission control: tolerating " + plural(n, "host failure") + " needs more than "
                    + n + " schedulable hosts, but there " + (candidates.size() == 1 ? "is " : "are ") + candidates.size(),
                    candidates.stream().map(Host::name).toList(), List.of());
        }
        Admission.Reserve worst = Admission.Reserve.NONE;
        for (List<Host> failed : scenarios(snapshot, candidates, n)) {
            Map<String, HostHealth> health = new HashMap<>();
            failed.forEach(h -> health.put(h.name(), new HostHealth.Dead(0, "admission-check")));
            RecoveryPlan plan = planner.plan(snapshot, health, Set.of(), 0);
            // a VM with a disk in its host's local pool cannot be restarted elsewhere whatever room there is (ha status says
            // so): it reserves nothing and never makes the cluster inadmissible
            List<String> unplaced = plan.only(RecoveryAction.Unplaced.class).stream().filter(u -> LocalDisks.restartable(u.vm()))
                    .map(u -> u.vm().name()).sorted().toList();
            List<String> names = failed.stream().map(Host::name).toList();
            if (!unplaced.isEmpty()) {
                return new Admission.Rejected("admission control: tolerating " + plural(n, "host failure")
                        + " is not possible: if " + String.join(" and ", names) + " failed, " + plural(unplaced.size(), "protected VM")
                        + " would find no host (" + String.join(", ", unplaced.subList(0, Math.min(5, unplaced.size())))
                        + (unplaced.size() > 5 ? ", ..." : "") + ")", names, unplaced);
            }
            var restarts = plan.only(RecoveryAction.Restart.class);
            long mem = restarts.stream().mapToLong(r -> r.vm().spec().memoryBytes()).sum();
            int cpus = restarts.stream().mapToInt(r -> r.vm().spec().vcpus()).sum();
            if (mem > worst.memoryBytes() || mem == worst.memoryBytes() && cpus > worst.cpus()) {
                worst = new Admission.Reserve(cpus, mem, names);
            }
        }
        return new Admission.Admitted(worst);
    }

    /**
     * Checks the cluster with {@code vm} added on {@code host} (where placement would put it). Any new VM is
     * checked, protected or not: an unprotected VM can use up the room protected ones need.
     */
    public Admission admit(ClusterSnapshot snapshot, HaSettings settings, Vm vm, String host) {
        var vms = new ArrayList<>(snapshot.vms());
        vms.add(vm.withHost(host));
        Admission a = check(new ClusterSnapshot(snapshot.hosts(), vms, snapshot.usage()), settings);
        if (a instanceof Admission.Rejected r && vm.protection() == Protection.NONE && !HaLabels.isStandby(vm)) {
            return new Admission.Rejected(r.reason() + "; " + vm.name() + " (" + Sizes.format(vm.spec().memoryBytes())
                    + ") would use capacity reserved for them", r.failedHosts(), r.unplaced());
        }
        return a;
    }

    static List<List<Host>> scenarios(ClusterSnapshot snapshot, List<Host> hosts, int n) {
        if (binomial(hosts.size(), n) <= MAX_SCENARIOS) {
            var out = new ArrayList<List<Host>>();
            combine(hosts, n, 0, new ArrayList<>(), out);
            return out;
        }
        Map<String, Long> protectedMem = new HashMap<>();
        for (Vm v : snapshot.vms()) {
            if (v.host() != null && (v.protection() != Protection.NONE || HaLabels.isStandby(v))) {
                protectedMem.merge(v.host(), v.spec().memoryBytes(), Long::sum);
            }
        }
        Set<List<Host>> out = new LinkedHashSet<>();
        out.add(hosts.stream().sorted(Comparator.comparing((Host h) -> protectedMem.getOrDefault(h.name(), 0L)).reversed()).limit(n).toList());
        out.add(hosts.stream().sorted(Comparator.comparing((Host h) -> h.capacity().memoryBytes()).reversed()).limit(n).toList());
        return List.copyOf(out);
    }

    private static void combine(List<Host> hosts, int n, int from, List<Host> current, List<List<Host>> out) {
        if (current.size() == n) {
            out.add(List.copyOf(current));
            return;
        }
        for (int i = from; i < hosts.size(); i++) {
            current.add(hosts.get(i));
            combine(hosts, n, i + 1, current, out);
            current.remove(current.size() - 1);
        }
    }

    static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
            if (r > Integer.MAX_VALUE) return r;
        }
        return r;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
