package io.polyvisor.inventory;

import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.Compute;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostInfo;
import io.polyvisor.spi.Stats;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The simulator without pushed events, under scheme {@code simpoll}: what a driver that can only be polled looks like. */
final class PollingOnlyDriver implements DriverProvider {
    private static final Set<Capability> CAPS = EnumSet.of(Capability.COMPUTE, Capability.STATS);
    private final SimDriver sim = new SimDriver();

    @Override
    public String name() {
        return "simpoll";
    }

    @Override
    public List<String> schemes() {
        return List.of("simpoll");
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPS;
    }

    @Override
    public HostConnection connect(URI uri) {
        HostConnection c = sim.connect(URI.create(uri.toString().replaceFirst("^simpoll:", "sim:")));
        return new HostConnection() {
            public URI uri() {
                return uri;
            }

            public String driver() {
                return "simpoll";
            }

            public Set<Capability> capabilities() {
                return CAPS;
            }

            public HostInfo info() {
                return c.info();
            }

            public boolean alive() {
                return c.alive();
            }

            public Compute compute() {
                return c.compute();
            }

            public Stats stats() {
                return c.stats();
            }

            public void close() {
                c.close();
            }
        };
    }
}
