package io.polyvisor.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.spi.PowerState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable state of a data centre in a JSON file, so that simulated hypervisors outlive the process that
 * simulates them (see {@link SimDatacenter#persistTo}).
 *
 * <p>Contracts: kept are hosts (name, capacity, health) and each domain's definition (UUID, name, vCPUs, memory,
 * volumes and which of them are in shared pools), power state, boot time, {@link LoadModel.Constant} load and dirty
 * rate; each host's storage pool and the shared pools (capacity, volumes, images, snapshots) with the hosts that
 * declared them. Files written before pools were kept read as hosts with empty pools. Not kept: port forwards, injected
 * failures and delays, migrations in flight (the VM stays on the source, as the copy never completed), delayed
 * guest shutdowns, and {@link LoadModel.Trace} loads (the VM falls back to its drawn load). Every write replaces
 * the file atomically (temporary file, then an atomic rename), so a process killed at any point leaves the state
 * after the last completed change, never a partial file. There is no fsync: a SIGKILL loses nothing, a power cut
 * of the machine running the simulator may.
 */
final class SimState {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** @param sharedPools null in files written before pools were kept */
    record Saved(int version, List<HostRec> hosts, List<PoolRec> sharedPools) {}

    /**
     * @param pool   the host's own pool, null if it never used storage (or the file predates pools)
     * @param mounts the shared pools it declared, by name; null as none
     */
    record HostRec(String name, int cpus, long memoryBytes, HostHealth health, List<VmRec> vms, PoolRec pool, List<String> mounts) {}

    /**
     * {@code cpuLoad} and {@code memoryLoad} are null unless the VM has a constant load set; {@code volumes} null when
     * it has none; {@code shared} its volumes in shared pools, by volume: pool (null as none).
     */
    record VmRec(UUID id, String name, int vcpus, long memoryBytes, PowerState state, long bootMillis,
                 Double cpuLoad, Double memoryLoad, long dirtyBytesPerSec, List<String> volumes, Map<String, String> shared) {}

    /** A pool: {@code where} is the host's name for its own pool ({@code polyvisor}), else the shared pool's path. */
    record PoolRec(String name, String where, long capacityBytes, List<io.polyvisor.spi.Storage.VolumeInfo> volumes, Map<String, Long> images,
                   Map<UUID, List<io.polyvisor.spi.Storage.SnapshotInfo>> snapshots) {
        static PoolRec of(SimPool p) {
            return new PoolRec(p.name, p.host, p.capacityBytes, List.copyOf(p.volumes.values()), new java.util.LinkedHashMap<>(p.images),
                    new java.util.HashMap<>(p.snapshots));
        }

        /** The pool, for host {@code host} (its own) or as a shared pool. */
        SimPool rebuild() {
            var p = name.equals("polyvisor") ? new SimPool(where, capacityBytes) : SimPool.shared(name, where, capacityBytes);
            if (volumes != null) volumes.forEach(v -> p.volumes.put(v.name(), v));
            if (images != null) p.images.putAll(images);
            if (snapshots != null) snapshots.forEach((vm, list) -> p.snapshots.put(vm, new ArrayList<>(list)));
            return p;
        }
    }

    private final Path file;
    private final Path temp;

    SimState(Path file) {
        this.file = file.toAbsolutePath();
        this.temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    Path file() {
        return file;
    }

    /** Under the data centre's lock: the saved state, or null if there is no file yet. */
    Saved read() {
        if (!Files.exists(file)) return null;
        try {
            var saved = JSON.readValue(file.toFile(), Saved.class);
            if (saved.version() != VERSION) {
                throw new IllegalStateException("sim state file " + file + " has version " + saved.version() + ", expected " + VERSION);
            }
            return saved;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sim state file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Under the data centre's lock: rebuilds the saved hosts and domains into {@code hosts}, which must be empty, and
     * the shared pools into {@code sharedPools}.
     */
    static void restore(SimDatacenter dc, Saved saved, Map<String, SimHost> hosts, Map<String, SimPool> sharedPools) {
        if (saved.sharedPools() != null) for (var pr : saved.sharedPools()) sharedPools.put(pr.name(), pr.rebuild());
        for (var hr : saved.hosts()) {
            var h = new SimHost(dc, hr.name(), hr.cpus(), hr.memoryBytes());
            h.health = hr.health();
            if (hr.pool() != null) h.pool = hr.pool().rebuild();
            if (hr.mounts() != null) for (String m : hr.mounts()) {
                SimPool shared = sharedPools.get(m);
                if (shared != null) h.mounts.put(m, shared);
            }
            for (var vr : hr.vms()) {
                var vm = new SimVm(vr.id(), vr.name(), vr.vcpus(), vr.memoryBytes());
                vm.state = vr.state();
                vm.bootMillis = vr.bootMillis();
                vm.dirtyBytesPerSec = vr.dirtyBytesPerSec();
                if (vr.cpuLoad() != null && vr.memoryLoad() != null) vm.load = new LoadModel.Constant(vr.cpuLoad(), vr.memoryLoad());
                if (vr.volumes() != null && !vr.volumes().isEmpty()) vm.volumes = vr.volumes().toArray(String[]::new);
                if (vr.shared() != null) vm.shared.putAll(vr.shared());
                if (vm.live()) {
                    vm.boots = dc.nextBoot();
                    h.committedBytes += vm.memoryBytes;
                }
                h.vms.put(vm.id, vm);
            }
            hosts.put(h.name, h);
        }
    }

    /** Under the data centre's lock: writes the state of {@code hosts} and the shared pools to the file, atomically. */
    void write(Collection<SimHost> hosts, Collection<SimPool> sharedPools) {
        var out = new ArrayList<HostRec>(hosts.size());
        for (var h : hosts) {
            var vms = new ArrayList<VmRec>(h.vms.size());
            for (var vm : h.vms.values()) {
                var constant = vm.load instanceof LoadModel.Constant c ? c : null;
                vms.add(new VmRec(vm.id, vm.name, vm.vcpus, vm.memoryBytes, vm.state, vm.bootMillis,
                        constant == null ? null : constant.cpuFraction(), constant == null ? null : constant.memFraction(),
                        vm.dirtyBytesPerSec, vm.volumes == null ? null : List.of(vm.volumes), vm.shared.isEmpty() ? null : Map.copyOf(vm.shared)));
            }
            out.add(new HostRec(h.name, h.cpus, h.memoryBytes, h.health, vms, h.pool == null ? null : PoolRec.of(h.pool),
                    h.mounts.isEmpty() ? null : List.copyOf(new java.util.TreeSet<>(h.mounts.keySet()))));
        }
        var pools = sharedPools.stream().map(PoolRec::of).toList();
        try {
            Files.write(temp, JSON.writeValueAsBytes(new Saved(VERSION, out, pools)));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sim state file " + file + ": " + e.getMessage(), e);
        }
    }
}
