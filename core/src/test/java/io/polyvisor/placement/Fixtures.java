package io.polyvisor.placement;

import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** Small builders for hosts and VMs in placement and balance tests. */
public final class Fixtures {
    private Fixtures() {}

    public static Host host(String name, int cpus, int memGib, HostState state, Map<String, String> labels) {
        return new Host(name, URI.create("sim://dc/" + name), new Capacity(cpus, memGib * Sizes.GiB), labels, state);
    }

    public static Host host(String name, int cpus, int memGib) {
        return host(name, cpus, memGib, HostState.CONNECTED, Map.of());
    }

    public static Vm vm(String name, int vcpus, int memGib, String host, Map<String, String> labels) {
        return new Vm(UUID.nameUUIDFromBytes(name.getBytes()), name, VmSpec.of(vcpus, memGib * Sizes.GiB), labels, null, null, null,
                host == null ? VmState.PENDING : VmState.RUNNING, host);
    }

    public static Vm vm(String name, int vcpus, int memGib) {
        return vm(name, vcpus, memGib, null, Map.of());
    }
}
