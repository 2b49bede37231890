package io.polyvisor.sim;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.spi.HostConnection;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The simulator as a driver: {@code sim://DATACENTER/HOST[?cpus=32&memory=128G]} connects to host HOST of the
 * in-process {@link SimDatacenter} named DATACENTER, creating either on first use (defaults: 32 CPUs, 128 GiB).
 * Offers every capability group but the graphical display: a real QEMU guest shows that here (a simulated VM has no
 * screen to show).
 */
public final class SimDriver implements DriverProvider {
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.complementOf(EnumSet.of(Capability.DISPLAY)));

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public List<String> schemes() {
        return List.of("sim");
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** @throws io.polyvisor.spi.DriverException malformed URI (not retryable), host crashed or partitioned (retryable) */
    @Override
    public HostConnection connect(URI uri) {
        var u = SimUri.parse(uri);
        var dc = SimDatacenter.named(u.datacenter());
        return new SimConnection(dc, dc.hostForUri(u), uri);
    }
}
