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
 * <p>Contracts: kept are hosts (name, capacity, health) and each domain's definition (UUID, name, vCPUs, memory),
 * power state, boot time, {@link LoadModel.Constant} load and dirty rate. Not kept: port forwards, injected
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

    record Saved(int version, List<HostRec> hosts) {}

    record HostRec(String name, int cpus, long memoryBytes, HostHealth health, List<VmRec> vms) {}

    /** {@code cpuLoad} and {@code memoryLoad} are null unless the VM has a constant load set. */
    record VmRec(UUID id, String name, int vcpus, long memoryBytes, PowerState state, long bootMillis,
                 Double cpuLoad, Double memoryLoad, long dirtyBytesPerSec) {}

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

    /** Under the data centre's lock: rebuilds the saved hosts and domains into {@code hosts}, which must be empty. */
    static void restore(SimDatacenter dc, Saved saved, Map<String, SimHost> hosts) {
        for (var hr : saved.hosts()) {
            var h = new SimHost(dc, hr.name(), hr.cpus(), hr.memoryBytes());
            h.health = hr.health();
            for (var vr : hr.vms()) {
                var vm = new SimVm(vr.id(), vr.name(), vr.vcpus(), vr.memoryBytes());
                vm.state = vr.state();
                vm.bootMillis = vr.bootMillis();
                vm.dirtyBytesPerSec = vr.dirtyBytesPerSec();
                if (vr.cpuLoad() != null && vr.memoryLoad() != null) vm.load = new LoadModel.Constant(vr.cpuLoad(), vr.memoryLoad());
                if (vm.live()) {
                    vm.boots = dc.nextBoot();
                    h.committedBytes += vm.memoryBytes;
                }
                h.vms.put(vm.id, vm);
            }
            hosts.put(h.name, h);
        }
    }

    /** Under the data centre's lock: writes the state of {@code hosts} to the file, atomically. */
    void write(Collection<SimHost> hosts) {
        var out = new ArrayList<HostRec>(hosts.size());
        for (var h : hosts) {
            var vms = new ArrayList<VmRec>(h.vms.size());
            for (var vm : h.vms.values()) {
                var constant = vm.load instanceof LoadModel.Constant c ? c : null;
                vms.add(new VmRec(vm.id, vm.name, vm.vcpus, vm.memoryBytes, vm.state, vm.bootMillis,
                        constant == null ? null : constant.cpuFraction(), constant == null ? null : constant.memFraction(),
                        vm.dirtyBytesPerSec));
            }
            out.add(new HostRec(h.name, h.cpus, h.memoryBytes, h.health, vms));
        }
        try {
            Files.write(temp, JSON.writeValueAsBytes(new Saved(VERSION, out)));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sim state file " + file + ": " + e.getMessage(), e);
        }
    }
}
