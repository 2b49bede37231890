package io.polyvisor.ha;

import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Small builders for HA tests: hosts of N GiB and 4 cpus, running VMs of N GiB. */
final class Fixtures {
    private Fixtures() {}

    static Host host(String name, int memGiB) {
        return new Host(name, URI.create("sim://dc/" + name), new Capacity(4, memGiB * Sizes.GiB), Map.of(), null);
    }

    static Vm vm(String name, int memGiB, String host, Protection p, int priority) {
        return new Vm(UUID.nameUUIDFromBytes(name.getBytes()), name, VmSpec.of(1, memGiB * Sizes.GiB), Map.of(), p,
                new Priority(priority), PowerIntent.RUNNING, VmState.RUNNING, host);
    }

    static Vm restart(String name, int memGiB, String host) {
        return vm(name, memGiB, host, Protection.RESTART, 3);
    }

    static Vm withLabel(Vm vm, String key, String value) {
        var labels = new HashMap<>(vm.labels());
        labels.put(key, value);
        return new Vm(vm.id(), vm.name(), vm.spec(), labels, vm.protection(), vm.priority(), vm.intent(), vm.state(), vm.host());
    }

    /** The standby row of {@code primary}, running on {@code host}. */
    static Vm standbyOf(Vm primary, String host) {
        return StandbyRollover.newStandby(primary, UUID.nameUUIDFromBytes((primary.name() + "-sb").getBytes()))
                .withState(VmState.RUNNING).withHost(host);
    }

    static HostHealth dead() {
        return new HostHealth.Dead(0, "test");
    }
}
