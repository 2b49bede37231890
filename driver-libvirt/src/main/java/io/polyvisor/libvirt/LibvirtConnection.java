package io.polyvisor.libvirt;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.Compute;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Events;
import io.polyvisor.spi.Fencing;
import io.polyvisor.spi.GuestAccess;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostInfo;
import io.polyvisor.spi.Migration;
import io.polyvisor.spi.Networking;
import io.polyvisor.spi.Stats;
import io.polyvisor.spi.Unsupported;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

import java.net.URI;
import java.util.Set;

/**
 * One libvirt connection. Thread-safe: libvirt connections are, and the only state here is the
 * current {@link Connect}, replaced when the daemon went away and came back (except for the test
 * driver, whose whole world lives in the connection and would be lost). Event listeners are
 * registered again on the new connection.
 */
final class LibvirtConnection implements HostConnection {
    private final HostUri uri;
    private final HypervisorKind kind;
    private final LibvirtEvents events;
    private final LibvirtCompute compute;
    private final LibvirtStats stats;
    private final LibvirtStorage storage;
    private final LibvirtNetworking networking;
    private final Set<Capability> capabilities;
    private volatile Connect conn;
    private volatile boolean closed;

    private LibvirtConnection(HostUri uri, Connect conn, HypervisorKind kind) {
        this.uri = uri;
        this.conn = conn;
        this.kind = kind;
        this.events = new LibvirtEvents(this);
        this.compute = new LibvirtCompute(this);
        this.stats = new LibvirtStats(this);
        this.storage = new LibvirtStorage(this);
        this.networking = new LibvirtNetworking(uri, HostShell.of(uri), this);
        var caps = java.util.EnumSet.noneOf(Capability.class);
        caps.addAll(kind.capabilities);
        // private networks need QEMU guests and a host with an underlay address (a host setting), whatever the kind offers
        caps.remove(Capability.NETWORKING);
        if (kind == HypervisorKind.QEMU && uri.underlay() != null) caps.add(Capability.NETWORKING);
        this.capabilities = java.util.Collections.unmodifiableSet(caps);
    }

    static LibvirtConnection open(HostUri uri) {
        EventLoop.ensureStarted();
        var conn = openConnect(uri);
        try {
            var c = new LibvirtConnection(uri, conn, HypervisorKind.of(conn.getType()));
            c.compute.warmUp(); // decide kvm or TCG now (a probe, in the background), not inside the first VM's create
            return c;
        } catch (LibvirtException e) {
            throw Errors.of(uri.libvirt(), "connect", e);
        } catch (IllegalArgumentException e) {
            throw new DriverException(e.getMessage() + " at " + uri.libvirt());
        }
    }

    private static Connect openConnect(HostUri uri) {
        try {
            var c = new Connect(uri.libvirt(), false);
            try {
                c.setKeepAlive(2, 2); // a dead daemon is noticed within ~6 s even when idle
            } catch (LibvirtException notRemote) {
                // drivers opened in-process (test:///) have no keepalive and need none
            }
            return c;
        } catch (LibvirtException e) {
            throw DriverException.unreachable(uri.libvirt(), e);
        }
    }

    HostUri hostUri() {
        return uri;
    }

    HypervisorKind kind() {
        return kind;
    }

    /**
     * Runs {@code call} on the live connection, reconnecting first if the old one died. From a virtual thread
     * the call is handed to a platform thread ({@link NativeCalls}): a JNA call blocked in libvirt would pin
     * the virtual thread's carrier, and a few slow libvirt calls would stall every virtual thread in the JVM.
     */
    <T> T call(String what, LibvirtCall<T> call) {
        return NativeCalls.run(() -> {
            live();
            try {
                return call.call();
            } catch (LibvirtException e) {
                throw Errors.of(uri.libvirt(), what, e);
            }
        });
    }

    /** The current connection, reopened if it was lost (never for the test driver). */
    Connect live() {
        if (closed) throw new DriverException("connection to " + uri.libvirt() + " is closed");
        var c = conn;
        if (isAlive(c) || kind == HypervisorKind.TEST) return c;
        synchronized (this) {
            if (conn != c) return conn;
            var fresh = openConnect(uri);
            conn = fresh;
            closeQuietly(c);
            events.reattach(fresh);
            return fresh;
        }
    }

    private static boolean isAlive(Connect c) {
        try {
            return c.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    @Override
    public URI uri() {
        return uri.polyvisor();
    }

    @Override
    public String driver() {
        return LibvirtDriver.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Networking networking() {
        if (!capabilities.contains(Capability.NETWORKING)) {
            throw new Unsupported(driver(), Capability.NETWORKING, "private networks on " + uri.libvirt()
                    + (kind == HypervisorKind.QEMU ? " (the host has no underlay address: add underlay=IPV4 to its URI)" : " (" + kind.name().toLowerCase() + ")"));
        }
        return networking;
    }

    /** The private networks ensured on this host through this connection, by name (none without networking). */
    java.util.Map<String, io.polyvisor.network.Network> attachedNetworks() {
        return networking.attached();
    }

    @Override
    public HostInfo info() {
        return call("host info", () -> {
            var c = live();
            var node = c.nodeInfo();
            long v = c.getVersion();
            var version = (v / 1_000_000) + "." + (v / 1000 % 1000) + "." + (v % 1000);
            return new HostInfo(c.getHostName(), c.getType(), version, node.cpus, node.memory * 1024);
        });
    }

    /**
     * One round trip to the daemon that touches no hypervisor driver state: {@code virConnectGetLibVersion}.
     * Not {@code getVersion}: the QEMU driver answers that from its capabilities cache, and a cache it deems
     * stale (a QEMU upgrade, or /dev/kvm readable by the daemon but not by QEMU's user, which makes every
     * lookup stale) re-probes QEMU first: measured 0.6 s per call here, and queued callers waited multiples of
     * it, so healthy hosts looked late to the failure detector.
     */
    @Override
    public boolean alive() {
        try {
            return call("probe", () -> live().getLibVersion() > 0);
        } catch (DriverException e) {
            return false;
        }
    }

    @Override
    public Compute compute() {
        return compute;
    }

    @Override
    public Stats stats() {
        return stats;
    }

    @Override
    public Events events() {
        require(Capability.EVENTS, "events");
        return events;
    }

    @Override
    public Migration migration() {
        require(Capability.MIGRATION, "live migration");
        return new LibvirtMigration(this);
    }

    @Override
    public Fencing fencing() {
        return new LibvirtFencing(this);
    }

    @Override
    public GuestAccess guestAccess() {
        require(Capability.GUEST_ACCESS, "guest port forwarding");
        return new LibvirtGuestAccess(this);
    }

    @Override
    public io.polyvisor.spi.SerialConsole serialConsole() {
        require(Capability.CONSOLE, "serial console");
        return new LibvirtSerialConsole(uri.libvirt());
    }

    @Override
    public io.polyvisor.spi.GraphicalConsole graphicalConsole() {
        require(Capability.DISPLAY, "graphical display");
        return new LibvirtGraphicalConsole(uri.libvirt());
    }

    @Override
    public io.polyvisor.spi.Storage storage() {
        require(Capability.STORAGE, "storage");
        return storage;
    }

    private void require(Capability c, String what) {
        if (!kind.capabilities.contains(c)) throw new Unsupported(driver(), c, what + " on " + kind.name().toLowerCase());
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        events.closeAll();
        closeQuietly(conn);
    }

    private static void closeQuietly(Connect c) {
        try {
            c.close();
        } catch (LibvirtException e) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "libvirt " + uri.libvirt();
    }
}
