package io.polyvisor.sim;

import io.polyvisor.spi.DriverConformance;
import io.polyvisor.spi.HostConnection;
import org.junit.jupiter.api.BeforeAll;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The SPI conformance suite against the simulator on the real clock with small latencies, reached the way the
 * server reaches it: through the driver and a {@code sim://} URI.
 */
class SimDriverConformanceTest extends DriverConformance {

    @BeforeAll
    static void datacenter() {
        var fast = SimSettings.instant()
                .withLatency(Operation.START, Duration.ofMillis(2))
                .withGuestShutdown(Duration.ofMillis(20))
                .withMigrationBandwidth(4L << 30);
        SimDatacenter.create("conformance", 7, SimClock.real(), fast);
    }

    @Override
    protected HostConnection connect() {
        return new SimDriver().connect(URI.create("sim://conformance/h1?cpus=8&memory=16G"));
    }

    @Override
    protected Optional<HostConnection> secondHost() {
        return Optional.of(new SimDriver().connect(URI.create("sim://conformance/h2")));
    }
}
