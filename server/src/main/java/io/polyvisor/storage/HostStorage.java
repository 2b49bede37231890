package io.polyvisor.storage;

import io.polyvisor.disk.SharedPool;
import io.polyvisor.disk.Volume;
import io.polyvisor.drivers.Connections;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Refusal;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Storage;
import io.polyvisor.store.Store;

import java.util.function.Function;

/**
 * A host's {@link Storage}, or a shared pool's through a host that declares it, through the server's one connection pool, with the driver's errors turned into refusals a
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
        return on(host, what, call, 1);
    }

    /**
     * {@link #on} for a call that changes nothing (reading the pool's room): a retryable failure (the host's connection
     * was lost, as when a busy daemon misses its keepalives; the next call opens a new one) is tried again, up to
     * {@value #READ_ATTEMPTS} times in all, 0.5 s then 1 s apart.
     */
    <T> T read(String host, String what, Function<Storage, T> call) {
        return on(host, what, call, READ_ATTEMPTS);
    }

    private static final int READ_ATTEMPTS = 3;

    private <T> T on(String host, String what, Function<Storage, T> call, int attempts) {
        if (store.host(host).isEmpty()) throw Refusal.notFound("host " + host + " not found");
        for (int attempt = 1; ; attempt++) {
            try {
                var c = conns.get(host);
                if (!c.capabilities().contains(Capability.STORAGE)) {
                    throw Refusal.conflict("host " + host + " (" + c.driver() + ") has no storage pool");
                }
                return call.apply(c.storage());
            } catch (DriverException e) {
                if (attempt >= attempts || !e.retryable()) throw Refusal.conflict("cannot " + what + " on host " + host + ": " + e.getMessage());
                try {
                    Thread.sleep(500L << (attempt - 1));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw Refusal.conflict("cannot " + what + " on host " + host + ": " + e.getMessage());
                }
            }
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

    /**
     * Runs {@code call} against the pool that holds {@code v}: its host's own pool, or, for a volume in a shared pool,
     * that pool as seen from a host that declares it: the volume's host first, then the others in name order, skipping
     * hosts that are not connected or cannot be reached (the pool's files are the same from any of them).
     */
    <T> T of(Volume v, String what, Function<Storage, T> call) {
        if (!v.shared()) return on(v.host(), what, call);
        return shared(pool(v.pool()), v.host(), what, call);
    }

    void runOn(Volume v, String what, java.util.function.Consumer<Storage> call) {
        of(v, what, s -> {
            call.accept(s);
            return null;
        });
    }

    /** Runs {@code call} on shared pool {@code pool} through the host {@link #through} chooses. */
    <T> T shared(SharedPool pool, String preferred, String what, Function<Storage, T> call) {
        return sharedOn(through(pool, preferred, what), pool, what, call);
    }

    /**
     * The host a call on shared pool {@code pool} goes through: {@code preferred} (may be null) if it declares the pool,
     * else the first in name order, skipping hosts that are disconnected or failed; none: a refusal naming {@code what}.
     */
    String through(SharedPool pool, String preferred, String what) {
        var order = new java.util.ArrayList<String>();
        if (preferred != null && pool.hosts().contains(preferred)) order.add(preferred);
        for (String h : pool.hosts()) if (!order.contains(h)) order.add(h);
        for (String h : order) {
            var host = store.host(h);
            if (host.isPresent() && host.get().state() != HostState.DISCONNECTED && host.get().state() != HostState.FAILED) return h;
        }
        throw Refusal.conflict("cannot " + what + ": no host that declares shared pool " + pool.name() + " is connected ("
                + String.join(", ", pool.hosts()) + ")");
    }

    /** Runs {@code call} on shared pool {@code pool} as host {@code host} sees it (which must declare it). */
    <T> T sharedOn(String host, SharedPool pool, String what, Function<Storage, T> call) {
        return on(host, what, s -> call.apply(s.shared(pool.name(), pool.path())));
    }

    SharedPool pool(String name) {
        return store.pools().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> Refusal.notFound("pool " + name + " not found"));
    }

    void run(String host, String what, java.util.function.Consumer<Storage> call) {
        on(host, what, s -> {
            call.accept(s);
            return null;
        });
    }
}
