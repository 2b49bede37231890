package io.polyvisor.sim;

import java.util.Locale;

/** The driver calls a simulated host can delay or fail on demand (see {@link SimDatacenter#failNext}). */
public enum Operation {
    DEFINE, START, SHUTDOWN, DESTROY, REBOOT, SUSPEND, RESUME, UNDEFINE,
    /** {@code lookup} and {@code list}. */
    LOOKUP,
    /** {@code info} and both {@code stats} calls. */
    STATS,
    MIGRATE,
    /** {@code fenceVm}; {@code fenceHost} is out of band and never fails. */
    FENCE,
    FORWARD,
    /** Every {@link io.polyvisor.spi.Storage} call: pool, volumes, images, snapshots. */
    STORAGE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
