package io.polyvisor.lifecycle;

import io.polyvisor.model.Vm;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exposed guest ports: each gets a host loopback port, chosen once and kept in the store so the address
 * users were given stays the same across restarts and migrations; the forward is (re)applied on the
 * VM's current host after every start and migration.
 */
final class Endpoints {
    private final Store store;

    Endpoints(Store store) {
        this.store = store;
    }

    void apply(Vm vm, HostConnection host) {
        if (vm.spec().exposePorts().isEmpty() || !host.capabilities().contains(Capability.GUEST_ACCESS)) return;
        Map<Integer, Integer> ports = store.endpoints(vm.id());
        if (ports.isEmpty()) {
            ports = new LinkedHashMap<>();
            for (int guest : vm.spec().exposePorts()) ports.put(guest, freeLoopbackPort());
            store.setEndpoints(vm.id(), ports);
        }
        ports.forEach((guest, hostPort) -> host.guestAccess().forward(vm.id(), hostPort, guest));
    }

    private static int freeLoopbackPort() {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
