package io.polyvisor.sim;

import io.polyvisor.spi.DomainEvent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Events waiting for delivery. Filled under the data centre's lock; emptied after it is released, one event at a
 * time under a delivery lock, so events reach listeners in the order they happened even when a listener calls
 * back into the driver (its own events queue behind the current one). Events of a host that is not
 * {@link HostHealth#UP} at delivery time are dropped: a host nobody can reach tells nobody anything.
 */
final class EventOutbox {
    private static final System.Logger LOG = System.getLogger(EventOutbox.class.getName());

    private record Delivery(SimHost host, DomainEvent event) {}

    private final ConcurrentLinkedQueue<Delivery> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock deliveryLock = new ReentrantLock();

    void add(SimHost host, DomainEvent event) {
        queue.add(new Delivery(host, event));
    }

    /** Delivers everything queued. A listener that throws is logged and the others still get the event. */
    void deliver() {
        if (queue.isEmpty()) return;
        deliveryLock.lock();
        try {
            Delivery d;
            while ((d = queue.poll()) != null) {
                if (d.host.health != HostHealth.UP) continue;
                for (var listener : d.host.listeners) {
                    try {
                        listener.accept(d.event);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "event listener on sim host " + d.host.name + " failed", e);
                    }
                }
            }
        } finally {
            deliveryLock.unlock();
        }
    }
}
