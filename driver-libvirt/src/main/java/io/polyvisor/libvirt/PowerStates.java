package io.polyvisor.libvirt;

import io.polyvisor.spi.PowerState;
import org.libvirt.DomainInfo.DomainState;

/** libvirt's domain states as the SPI's four. */
final class PowerStates {
    private PowerStates() {}

    static PowerState of(DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_NOSTATE -> PowerState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> PowerState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> PowerState.SHUTOFF;
            case VIR_DOMAIN_CRASHED -> PowerState.CRASHED;
        };
    }
}
