package io.polyvisor.libvirt;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns cumulative CPU time counters into cores in use: {@code (cpu_ns - prev_cpu_ns) / (wall_ns - prev_wall_ns)}.
 * The first sample of a VM (or one whose counter went backwards: it restarted) gives 0. Pure apart from the
 * remembered previous samples; not thread-safe (callers synchronise).
 */
final class CpuSampler {
    private record Sample(long cpuNanos, long wallNanos) {}

    private Map<UUID, Sample> previous = new HashMap<>();

    /** Records this round's samples and returns cores per VM; VMs not in {@code cpuNanos} are forgotten. */
    Map<UUID, Double> next(Map<UUID, Long> cpuNanos, long wallNanos) {
        var now = new HashMap<UUID, Sample>();
        var cores = new HashMap<UUID, Double>();
        cpuNanos.forEach((id, cpu) -> {
            var prev = previous.get(id);
            double c = 0;
            if (prev != null && cpu >= prev.cpuNanos && wallNanos > prev.wallNanos) {
                c = (double) (cpu - prev.cpuNanos) / (wallNanos - prev.wallNanos);
            }
            cores.put(id, c);
            now.put(id, new Sample(cpu, wallNanos));
        });
        previous = now;
        return cores;
    }
}
