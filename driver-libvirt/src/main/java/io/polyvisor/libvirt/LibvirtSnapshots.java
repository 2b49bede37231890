package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Storage.SnapshotInfo;
import io.polyvisor.volumes.StorageNames;
import org.libvirt.Domain;
import org.libvirt.DomainSnapshot;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Internal snapshots through libvirt ({@code virDomainSnapshotCreateXML} with no flags): for a running VM QEMU saves the
 * memory and device state into the qcow2 disks (savevm), for a stopped one libvirt snapshots each qcow2 disk. A revert
 * leaves the VM in the state it was snapshotted in. Idempotent by name: creating an existing snapshot returns it,
 * deleting an absent one does nothing.
 */
final class LibvirtSnapshots {
    private final LibvirtConnection host;

    LibvirtSnapshots(LibvirtConnection host) {
        this.host = host;
    }

    List<SnapshotInfo> list(UUID vm) {
        return host.call("list snapshots", () -> {
            var d = domain(vm);
            var out = new ArrayList<SnapshotInfo>();
            for (String name : d.snapshotListNames(0)) find(d, name).ifPresent(s -> out.add(info(name, s)));
            out.sort(Comparator.comparingLong(SnapshotInfo::createdEpochSeconds).thenComparing(SnapshotInfo::name));
            return out;
        });
    }

    SnapshotInfo create(UUID vm, String name) {
        StorageNames.snapshot(name);
        return host.call("snapshot " + name, () -> {
            var d = domain(vm);
            var existing = find(d, name);
            if (existing.isPresent()) return info(name, existing.get());
            var xml = Xml.root("domainsnapshot");
            Xml.text(xml, "name", name);
            return info(name, d.snapshotCreateXML(Xml.serialize(xml), 0));
        });
    }

    void revert(UUID vm, String name) {
        StorageNames.snapshot(name);
        host.call("revert to snapshot " + name, () -> {
            var d = domain(vm);
            var s = find(d, name).orElseThrow(() -> new DriverException("VM " + vm + " has no snapshot " + name));
            d.revertToSnapshot(s);
            return null;
        });
    }

    void delete(UUID vm, String name) {
        StorageNames.snapshot(name);
        host.call("delete snapshot " + name, () -> {
            var s = find(domain(vm), name);
            if (s.isPresent()) s.get().delete(0);
            return null;
        });
    }

    private Domain domain(UUID vm) throws LibvirtException {
        return ((LibvirtCompute) host.compute()).require(vm);
    }

    private static Optional<DomainSnapshot> find(Domain d, String name) throws LibvirtException {
        try {
            return Optional.of(d.snapshotLookupByName(name));
        } catch (LibvirtException e) {
            if (Errors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT)) return Optional.empty();
            throw e;
        }
    }

    private static SnapshotInfo info(String name, DomainSnapshot s) {
        try {
            var xml = Xml.parse(s.getXMLDesc());
            String created = Xml.first(xml, "creationTime");
            String state = Xml.first(xml, "state");
            return new SnapshotInfo(name, created == null ? 0 : Long.parseLong(created), "running".equals(state) || "paused".equals(state));
        } catch (LibvirtException e) {
            throw new DriverException("cannot read snapshot " + name + ": " + e.getError().getMessage(), false, e);
        }
    }
}
