package io.polyvisor.libvirt;

import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DriverConformance;
import io.polyvisor.spi.HostConnection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The SPI conformance suite against real QEMU: {@code qemu:///system} (scripts/libvirt-up) booting the tiny
 * guest, with live migration to a second libvirt daemon of the test fleet (scripts/test-hosts). Fails when
 * libvirt is not running.
 */
class LibvirtQemuConformanceTest extends DriverConformance {
    @Override
    protected HostConnection connect() {
        return new LibvirtDriver().connect(URI.create("qemu:///system"));
    }

    @Override
    protected Optional<HostConnection> secondHost() {
        return Optional.of(new LibvirtDriver().connect(TestFleet.up(1).get(0)));
    }

    @Override
    protected VmSpec bootableSpec() {
        return TinyGuest.spec(List.of());
    }

    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(60); // TCG on 2 shared cores: a boot takes 3-10 s
    }
}
