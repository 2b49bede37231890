package io.polyvisor.libvirt;

import io.polyvisor.spi.Stats;
import io.polyvisor.spi.Usage;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Usage from libvirt's per-domain counters (libvirt-java has no bulk stats call): CPU from
 * {@code virDomainGetInfo} cpuTime deltas between calls, memory from the balloon's RSS figure when
 * QEMU reports one, else the domain's current memory. The host's figures are the sum over its VMs
 * (CPU) and total minus free memory.
 */
final class LibvirtStats implements Stats {
    /** VIR_DOMAIN_MEMORY_STAT_RSS: resident set size of the QEMU process, in KiB. */
    private static final int RSS = 7;

    private final LibvirtConnection host;
    private final CpuSampler sampler = new CpuSampler();
    private volatile double lastHostCores;

    LibvirtStats(LibvirtConnection host) {
        this.host = host;
    }

    @Override
    public Usage host() {
        return host.call("host stats", () -> {
            var c = host.live();
            long total = c.nodeInfo().memory * 1024;
            long free;
            try {
                free = c.getFreeMemory();
            } catch (LibvirtException unsupported) {
                free = total;
            }
            return new Usage(lastHostCores, Math.max(0, total - free), -1);
        });
    }

    @Override
    public Map<UUID, Usage> vms() {
        return host.call("VM stats", () -> {
            var cpu = new HashMap<UUID, Long>();
            var mem = new HashMap<UUID, Long>();
            for (Domain d : host.live().listAllDomains(1 /* VIR_CONNECT_LIST_DOMAINS_ACTIVE */)) {
                try {
                    var id = UUID.fromString(d.getUUIDString());
                    var info = d.getInfo();
                    cpu.put(id, info.cpuTime);
                    mem.put(id, memory(d, info.memory * 1024));
                } catch (LibvirtException e) {
                    if (!Errors.isNoDomain(e)) throw e; // stopped while we looked
                }
            }
            Map<UUID, Double> cores;
            synchronized (sampler) {
                cores = sampler.next(cpu, System.nanoTime());
            }
            var out = new HashMap<UUID, Usage>();
            cores.forEach((id, c) -> out.put(id, new Usage(c, mem.get(id), -1)));
            lastHostCores = cores.values().stream().mapToDouble(Double::doubleValue).sum();
            return out;
        });
    }

    private long memory(Domain d, long fallback) {
        if (host.kind() != HypervisorKind.QEMU) return fallback;
        try {
            for (MemoryStatistic s : d.memoryStats(13)) {
                if (s.getTag() == RSS) return s.getValue() * 1024;
            }
        } catch (LibvirtException e) {
            // no balloon stats yet (guest booting): fall back
        }
        return fallback;
    }
}
