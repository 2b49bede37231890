package io.polyvisor.storage;

import io.polyvisor.volumes.*;
import io.polyvisor.drivers.Connections;
import io.polyvisor.model.Refusal;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Storage;
import io.polyvisor.store.Store;

import java.util.function.Function;

/**
 * A host's {@link Storage} through the server's one connection pool, with the driver's errors turned into refusals a
 * user can read: an unreachable host or one whose driver has no storage is a 409, as is a refusal by the host (no room).
 */
final class HostStorage {
    private final Store store;
    private final Connections conns;

    HostStorage(Store store, Connections conns) {
        this.store = store;
        this.conns = conns;
    }

    /** Runs {@code call} against host {@code host}'s storage. */
    <T> T on(String host, String what, Function<Storage, T> call) {
        if (store.host(host).isEmpty()) throw Refusal.notFound("host " + host + " not found");
        try {
            var c = conns.get(host);
            if (!c.capabilities().contains(Capability.STORAGE)) {
                throw Refusal.conflict("host " + host + " (" + c.driver() + ") has no storage pool");
            }
            return call.apply(c.storage());
        } catch (DriverException e) {
            throw Refusal.conflict("cannot " + what + " on host " + host + ": " + e.getMessage());
        }
    }

    /**
     * Applies the VM's exposed-port forwards again on {@code host} (idempotent): after a revert to a running snapshot the
     * QEMU state is the snapshot's, and the forwards made since must be there.
     */
    void forward(String host, java.util.UUID vm, java.util.Map<Integer, Integer> guestToHostPort) {
        if (guestToHostPort.isEmpty()) return;
        try {
            var c = conns.get(host);
            if (!c.capabilities().contains(Capability.GUEST_ACCESS)) return;
            guestToHostPort.forEach((guest, hostPort) -> c.guestAccess().forward(vm, hostPort, guest));
        } catch (DriverException e) {
            throw Refusal.conflict("reverted, but the guest's ports could not be forwarded again on host " + host + ": " + e.getMessage());
        }
    }

    void run(String host, String what, java.util.function.Consumer<Storage> call) {
        on(host, what, s -> {
            call.accept(s);
            return null;
        });
    }
}
