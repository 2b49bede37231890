package io.polyvisor.libvirt;

import io.polyvisor.spi.Fencing;
import io.polyvisor.spi.DriverException;

import java.util.UUID;

/**
 * Fencing through the hypervisor itself: destroy. libvirt cannot power a machine off, so
 * {@link #fenceHost()} destroys every running domain of a reachable host and throws when the host cannot
 * be reached (then nothing is proven, and an out-of-band fence agent must act).
 */
final class LibvirtFencing implements Fencing {
    private final LibvirtConnection host;

    LibvirtFencing(LibvirtConnection host) {
        this.host = host;
    }

    @Override
    public void fenceVm(UUID id) {
        if (host.compute().lookup(id).isPresent()) host.compute().destroy(id);
    }

    @Override
    public void fenceHost() {
        if (!host.alive()) {
            throw new DriverException("cannot fence " + host.hostUri().libvirt() + ": it does not answer, so its VMs"
                    + " cannot be proven off", true, null);
        }
        host.call("fence host", () -> {
            for (var d : host.live().listAllDomains(1 /* active */)) {
                try {
                    d.destroy();
                } catch (org.libvirt.LibvirtException e) {
                    if (!Errors.isNoDomain(e) && d.isActive() == 1) throw e;
                }
            }
            return null;
        });
    }
}
