package io.polyvisor.libvirt;

import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.GuestData;
import io.polyvisor.spi.Compute;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.PowerState;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * VM lifecycle through libvirt, idempotent per UUID as {@link Compute} requires: each call first looks
 * at the domain's state and does nothing when it is already where the call would take it. Races with
 * changes made outside Polyvisor (a domain stopping between the look and the act) are absorbed by
 * treating libvirt's "not running" / "already running" answers as success.
 */
final class LibvirtCompute implements Compute {
    private final LibvirtConnection host;
    private final DomainTypes domainTypes;
    private final ShutdownRetries shutdownRetries;

    LibvirtCompute(LibvirtConnection host) {
        this.host = host;
        this.domainTypes = new DomainTypes(host);
        this.shutdownRetries = new ShutdownRetries(host);
    }

    @Override
    public List<DomainInfo> list() {
        return host.call("list", () -> {
            var out = new ArrayList<DomainInfo>();
            for (var d : host.live().listAllDomains(0)) {
                try {
                    out.add(info(d));
                } catch (LibvirtException e) {
                    if (!Errors.isNoDomain(e)) throw e; // undefined while we listed
                }
            }
            return out;
        });
    }

    @Override
    public Optional<DomainInfo> lookup(UUID id) {
        return host.call("lookup", () -> find(id).map(d -> {
            try {
                return info(d);
            } catch (LibvirtException e) {
                throw Errors.of(host.hostUri().libvirt(), "lookup", e);
            }
        }));
    }

    @Override
    public DomainInfo define(UUID id, String name, VmSpec spec) {
        return define(id, name, spec, GuestData.none());
    }

    @Override
    public DomainInfo define(UUID id, String name, VmSpec spec, GuestData data) {
        var existing = lookup(id);
        if (existing.isPresent()) return existing.get();
        host.kind().requireDefinable(LibvirtDriver.NAME);
        for (var disk : spec.disks()) {
            // libvirt resolves a volume only when the VM starts: check now, so a bad definition is never written
            if (!((LibvirtStorage) host.storage()).hasVolumeIn(disk.pool(), disk.volume())) {
                throw new DriverException("volume " + disk.volume() + " does not exist in " + (disk.pool() == null ? "the pool"
                        : "shared pool " + disk.pool()) + " of " + host.hostUri().libvirt());
            }
        }
        var xml = DomainXml.build(id, name, spec, data, settings(), host.attachedNetworks());
        return host.call("define " + name, () -> info(host.live().domainDefineXML(xml)));
    }

    @Override
    public String guestDataChannel() {
        return host.kind() == HypervisorKind.QEMU ? "fw_cfg" : null;
    }

    /** Starts deciding the domain type for {@link #settings()} without waiting for it. */
    void warmUp() {
        if (host.kind() == HypervisorKind.QEMU) domainTypes.warmUp();
    }

    /** The settings domain XML is built with on this host. */
    DomainSettings settings() {
        var u = host.hostUri();
        var kind = host.kind();
        var type = kind == HypervisorKind.QEMU ? domainTypes.get() : kind.domainType;
        return new DomainSettings(type, kind == HypervisorKind.QEMU, u.logDir(), u.imageRoots(),
                kind == HypervisorKind.QEMU && u.localFiles());
    }

    @Override
    public void start(UUID id) {
        shutdownRetries.forget(id);
        act(id, "start", d -> {
            if (d.isActive() == 0) d.create();
            else if (state(d) == PowerState.PAUSED) d.resume();
        });
    }

    @Override
    public void shutdown(UUID id) {
        act(id, "shutdown", d -> {
            if (d.isActive() == 1) d.shutdown();
        });
        if (host.kind() == HypervisorKind.QEMU) shutdownRetries.track(id);
    }

    @Override
    public void destroy(UUID id) {
        shutdownRetries.forget(id);
        act(id, "destroy", d -> {
            if (d.isActive() == 1) d.destroy();
        });
    }

    @Override
    public void reboot(UUID id) {
        act(id, "reboot", d -> {
            if (d.isActive() == 0) throw new DriverException("cannot reboot VM " + id + ": it is not running");
            if (host.kind() == HypervisorKind.QEMU) d.reboot(0); else d.reset();
        });
    }

    @Override
    public void suspend(UUID id) {
        act(id, "suspend", d -> {
            if (d.isActive() == 0) throw new DriverException("cannot suspend VM " + id + ": it is not running");
            if (state(d) != PowerState.PAUSED) d.suspend();
        });
    }

    @Override
    public void resume(UUID id) {
        act(id, "resume", d -> {
            if (d.isActive() == 0) throw new DriverException("cannot resume VM " + id + ": it is not running");
            if (state(d) == PowerState.PAUSED) d.resume();
        });
    }

    @Override
    public void undefine(UUID id) {
        host.call("undefine", () -> {
            var d = find(id);
            if (d.isEmpty()) return null;
            if (d.get().isActive() == 1) throw new DriverException("cannot delete VM " + id + ": it must be off first");
            try {
                d.get().undefine(Domain.UndefineFlags.MANAGED_SAVE | Domain.UndefineFlags.SNAPSHOTS_METADATA);
            } catch (LibvirtException e) {
                if (!Errors.isNoDomain(e)) throw e;
            }
            return null;
        });
    }

    /** The domain with this UUID, or empty. */
    Optional<Domain> find(UUID id) throws LibvirtException {
        try {
            return Optional.of(host.live().domainLookupByUUID(id));
        } catch (LibvirtException e) {
            if (Errors.isNoDomain(e)) return Optional.empty();
            throw e;
        }
    }

    Domain require(UUID id) throws LibvirtException {
        return find(id).orElseThrow(() -> Errors.unknownVm(host.hostUri().libvirt(), id));
    }

    private interface DomainAction {
        void apply(Domain d) throws LibvirtException;
    }

    private void act(UUID id, String what, DomainAction action) {
        host.call(what, () -> {
            action.apply(require(id));
            return null;
        });
    }

    static DomainInfo info(Domain d) throws LibvirtException {
        var i = d.getInfo();
        return new DomainInfo(UUID.fromString(d.getUUIDString()), d.getName(), PowerStates.of(i.state), i.nrVirtCpu, i.maxMem * 1024);
    }

    static PowerState state(Domain d) throws LibvirtException {
        return PowerStates.of(d.getInfo().state);
    }
}
