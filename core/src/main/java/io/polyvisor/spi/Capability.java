package io.polyvisor.spi;

import java.util.Locale;

/** The capability groups a driver may offer. Compute is mandatory; the rest are optional. */
public enum Capability {
    /** Define, start, stop, reboot, suspend, resume, undefine, list. */
    COMPUTE,
    /** Host and VM usage figures. */
    STATS,
    /** Pushed lifecycle events (else the controller polls). */
    EVENTS,
    /** Live migration between hosts of the same driver. */
    MIGRATION,
    /** Forcing a VM (or a whole host) off so that it provably no longer runs. */
    FENCING,
    /** Reaching a guest TCP port from the host's loopback. */
    GUEST_ACCESS,
    /** A storage pool per host: volumes, images copied in, and snapshots of a VM's disks. */
    STORAGE,
    /** Private networks on the host: a bridge per network, joined to other hosts by VXLAN. */
    NETWORKING,
    /** A running VM's serial console as a byte stream ({@link SerialConsole}). */
    CONSOLE,
    /** A running VM's graphical display as an RFB (VNC) byte stream ({@link GraphicalConsole}). */
    DISPLAY;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
