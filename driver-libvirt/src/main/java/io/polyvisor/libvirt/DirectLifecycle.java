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
