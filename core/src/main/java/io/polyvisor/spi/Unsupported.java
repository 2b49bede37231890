package io.polyvisor.spi;

/**
 * The one error for "this driver (or this host) cannot do that". Callers branch on it, never on
 * a driver's own exception types.
 */
public final class Unsupported extends DriverException {
    private final String driver;
    private final Capability capability;

    public Unsupported(String driver, Capability capability, String operation) {
        super(driver + " driver does not support " + operation + " (" + capability.label() + ")");
        this.driver = driver;
        this.capability = capability;
    }

    public String driver() {
        return driver;
    }

    public Capability capability() {
        return capability;
    }
}
