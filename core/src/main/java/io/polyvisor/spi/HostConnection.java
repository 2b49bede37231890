package io.polyvisor.spi;

import java.net.URI;
import java.util.Set;

/**
 * An open connection to one hypervisor host. Thread-safe. Capability groups other than
 * {@link #compute()} throw {@link Unsupported} when absent; {@link #capabilities()} says which exist.
 */
public interface HostConnection extends AutoCloseable {
    URI uri();

    /** The driver's name, as in {@link DriverProvider#name()}. */
    String driver();

    Set<Capability> capabilities();

    /** Host facts; throws {@link DriverException} (retryable) if the host cannot be reached. */
    HostInfo info();

    /** A cheap liveness probe: true if the host answered just now. Never throws. */
    boolean alive();

    Compute compute();

    default Stats stats() {
        throw new Unsupported(driver(), Capability.STATS, "stats");
    }

    default Events events() {
        throw new Unsupported(driver(), Capability.EVENTS, "events");
    }

    default Migration migration() {
        throw new Unsupported(driver(), Capability.MIGRATION, "live migration");
    }

    default Fencing fencing() {
        throw new Unsupported(driver(), Capability.FENCING, "fencing");
    }

    default GuestAccess guestAccess() {
        throw new Unsupported(driver(), Capability.GUEST_ACCESS, "guest port forwarding");
    }

    default Storage storage() {
        throw new Unsupported(driver(), Capability.STORAGE, "storage");
    }

    default Networking networking() {
        throw new Unsupported(driver(), Capability.NETWORKING, "private networks");
    }

    default SerialConsole serialConsole() {
        throw new Unsupported(driver(), Capability.CONSOLE, "serial console");
    }

    default GraphicalConsole graphicalConsole() {
        throw new Unsupported(driver(), Capability.DISPLAY, "graphical display");
    }

    @Override
    void close();
}
