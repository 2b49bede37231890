package io.polyvisor.placement;

import io.polyvisor.model.Host;
import io.polyvisor.model.Vm;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable view of the cluster that decisions read: hosts, VMs (with the host each is on, if any)
 * and measured usage. Decisions never read anything else.
 *
 * @param usage measured usage per VM id; VMs absent from the map have no measurement yet
 */
public record ClusterSnapshot(List<Host> hosts, List<Vm> vms, Map<UUID, VmUsage> usage) {
    public ClusterSnapshot {
        hosts = List.copyOf(hosts);
        vms = List.copyOf(vms);
        usage = Map.copyOf(usage);
    }

    public static ClusterSnapshot of(List<Host> hosts, List<Vm> vms) {
        return new ClusterSnapshot(hosts, vms, Map.of());
    }

    /** Measured CPU (cores) and memory (bytes) of one VM. */
    public record VmUsage(double cpuCores, long memoryBytes) {}
}
