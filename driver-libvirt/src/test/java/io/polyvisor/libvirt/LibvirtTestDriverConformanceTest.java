package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverConformance;
import io.polyvisor.spi.HostConnection;

import java.net.URI;

/**
 * The SPI conformance suite against libvirt's in-memory test driver ({@code test:///default}), through the
 * real libvirt library and event loop. The test driver's state lives in its connection, so each test works
 * on one connection from start to end. It has no migration nor QEMU monitor, so those groups must answer
 * {@code Unsupported}.
 */
class LibvirtTestDriverConformanceTest extends DriverConformance {
    @Override
    protected HostConnection connect() {
        return new LibvirtDriver().connect(URI.create("test:///default"));
    }
}
