package io.polyvisor.libvirt;

import io.polyvisor.model.VmSpec;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.net.URI;
import java.util.UUID;

/**
 * The baseline for {@code polyvisor bench lifecycle}: the same VM lifecycle done with plain libvirt calls
 * ({@code virDomainDefineXML} + {@code virDomainCreate}; {@code virDomainDestroy} + {@code virDomainUndefine})
 * on one connection, with the same domain XML Polyvisor's driver writes, and nothing else: no store, no
 * tasks, no events, no API. Thread-safe (libvirt connections are).
 */
public final class DirectLifecycle implements AutoCloseable {
    private final Connect conn;
    private final DomainSettings settings;

    private DirectLifecycle(Connect conn, DomainSettings settings) {
        this.conn = conn;
        this.settings = settings;
    }

    /** Opens a plain connection to {@code uri}; domain XML settings are decided as the driver decides them. */
    public static DirectLifecycle open(URI uri) {
        try (var probe = LibvirtConnection.open(HostUri.parse(uri))) {
            var settings = ((LibvirtCompute) probe.compute()).settings();
            EventLoop.ensureStarted();
            return new DirectLifecycle(new Connect(HostUri.parse(uri).libvirt(), false), settings);
        } catch (LibvirtException e) {
            throw Errors.of(uri.toString(), "connect", e);
        }
    }

    /** Defines and starts; returns when libvirt reports the domain running. */
    public void createAndStart(UUID id, String name, VmSpec spec) {
        try {
            Domain d = conn.domainDefineXML(DomainXml.build(id, name, spec, settings));
            d.create();
        } catch (LibvirtException e) {
            throw Errors.of(conn.toString(), "create " + name, e);
        }
    }

    /**
     * Defines a VM whose disks are qcow2 files in folder {@code dir} of the host ({@code dir/VOLUME.qcow2}), as a user
     * writing the XML by hand would: the driver's domain XML with each pool volume disk ({@code type='volume'}) given as
     * that file instead ({@code type='file'}), so libvirt needs no storage pool to know the file. Built with the DOM.
     */
    public void defineOverFiles(UUID id, String name, VmSpec spec, String dir) {
        var domain = Xml.parse(DomainXml.build(id, name, spec, settings));
        var disks = domain.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            var disk = (org.w3c.dom.Element) disks.item(i);
            if (!"volume".equals(disk.getAttribute("type"))) continue;
            var source = (org.w3c.dom.Element) disk.getElementsByTagName("source").item(0);
            String file = dir + "/" + source.getAttribute("volume");
            source.removeAttribute("pool");
            source.removeAttribute("volume");
            source.setAttribute("file", file);
            disk.setAttribute("type", "file");
        }
        try {
            conn.domainDefineXML(Xml.serialize(domain));
        } catch (LibvirtException e) {
            throw Errors.of(conn.toString(), "define " + name, e);
        }
    }

    /** Starts a defined domain; returns when libvirt reports it running. */
    public void start(UUID id) {
        try {
            conn.domainLookupByUUID(id).create();
        } catch (LibvirtException e) {
            throw Errors.of(conn.toString(), "start " + id, e);
        }
    }

    /** Forwards {@code 127.0.0.1:hostPort} to the guest's {@code guestPort} (QEMU's {@code hostfwd_add}, as the driver does). */
    public void forward(UUID id, int hostPort, int guestPort) {
        try {
            conn.domainLookupByUUID(id).qemuMonitorCommand("hostfwd_add hostnet0 tcp:127.0.0.1:" + hostPort + "-:" + guestPort, 1);
        } catch (LibvirtException e) {
            throw Errors.of(conn.toString(), "forward a port of " + id, e);
        }
    }

    /**
     * Live migration with its disks copied ({@code virsh migrate --live --persistent --undefinesource
     * --copy-storage-all}): libvirt makes each disk's file in the destination's pool that holds its folder, QEMU copies
     * the disks then the memory; migration data to {@code tcp://127.0.0.1} (hosts on this machine).
     */
    public void migrateWithDisks(UUID id, DirectLifecycle destination) {
        long flags = Domain.MigrateFlags.LIVE | Domain.MigrateFlags.PERSIST_DEST | Domain.MigrateFlags.UNDEFINE_SOURCE
                | Domain.MigrateFlags.NON_SHARED_DISK;
        try {
            conn.domainLookupByUUID(id).migrate(destination.conn, flags, null, "tcp://127.0.0.1", 0);
        } catch (LibvirtException e) {
            throw Errors.of(conn.toString(), "migrate " + id, e);
        }
    }

    /** Deletes the file at {@code path} (as the host sees it) through a storage pool that holds it; false if none knows it. */
    public boolean deletePoolFile(String path) {
        try {
            conn.storageVolLookupByPath(path).delete(0);
            return true;
        } catch (LibvirtException e) {
            return false;
        }
    }

    /** Destroys and undefines; returns when the domain is gone. */
    public void destroyAndUndefine(UUID id) {
        try {
            Domain d = conn.domainLookupByUUID(id);
            if (d.isActive() == 1) d.destroy();
            d.undefine();
        } catch (LibvirtException e) {
            if (!Errors.isNoDomain(e)) throw Errors.of(conn.toString(), "delete " + id, e);
        }
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (LibvirtException e) {
            // gone already
        }
    }
}
