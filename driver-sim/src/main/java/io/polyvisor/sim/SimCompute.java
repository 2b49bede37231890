package io.polyvisor.sim;

import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.Compute;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.GuestData;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link Compute} on one simulated host; every call goes through {@link SimDatacenter#call}. */
final class SimCompute implements Compute {
    private final SimConnection conn;
    private final SimDatacenter dc;
    private final SimHost host;

    SimCompute(SimConnection conn) {
        this.conn = conn;
        this.dc = conn.dc;
        this.host = conn.host;
    }

    @Override
    public List<DomainInfo> list() {
        conn.requireOpen();
        return dc.call(host, Operation.LOOKUP, () -> {
            var out = new ArrayList<DomainInfo>(host.vms.size());
            for (var vm : host.vms.values()) out.add(vm.info());
            return out;
        });
    }

    @Override
    public Optional<DomainInfo> lookup(UUID id) {
        conn.requireOpen();
        return dc.call(host, Operation.LOOKUP, () -> Optional.ofNullable(host.vms.get(id)).map(SimVm::info));
    }

    @Override
    public DomainInfo define(UUID id, String name, VmSpec spec) {
        return define(id, name, spec, GuestData.none());
    }

    @Override
    public DomainInfo define(UUID id, String name, VmSpec spec, GuestData data) {
        conn.requireOpen();
        return dc.call(host, Operation.DEFINE, () -> host.define(id, name, spec, data));
    }

    /** Kept with the simulated instance; read back by {@link SimDatacenter#guestData}. */
    @Override
    public String guestDataChannel() {
        return "sim";
    }

    @Override
    public void start(UUID id) {
        conn.requireOpen();
        dc.run(host, Operation.START, () -> host.start(id));
    }

    /** The guest powers off {@link SimSettings#guestShutdown()} later (at once if that is zero). */
    @Override
    public void shutdown(UUID id) {
        conn.requireOpen();
        dc.run(host, Operation.SHUTDOWN, () -> {
            int boot = host.shutdown(id);
            if (boot < 0) return;
            var after = dc.settings().guestShutdown();
            if (after.isZero()) {
                host.guestPoweredOff(id, boot);
            } else {
                dc.clock().schedule(after, () -> {
                    dc.locked(() -> {
                        host.guestPoweredOff(id, boot);
                        return null;
                    });
                    dc.deliver();
                });
            }
        });
    }

    @Override
    public void destroy(UUID id) {
        conn.requireOpen();
        dc.run(host, Operation.DESTROY, () -> host.destroy(id));
    }

    @Override
    public void reboot(UUID id) {
        conn.requireOpen();
        dc.run(host, Operation.REBOOT, () -> host.reboot(id));
    }

    @Override
    public void suspend(UUID id) {
        conn.requireOpen();
        dc.run(host, Operation.SUSPEND, () -> host.suspend(id));
    }

    @Override
    public void resume(UUID id) {
        conn.requireOpen();
        dc.run(host, Operation.RESUME, () -> host.resume(id));
    }

    @Override
    public void undefine(UUID id) {
        conn.requireOpen();
        dc.run(host, Operation.UNDEFINE, () -> host.undefine(id));
    }
}
