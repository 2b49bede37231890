package io.polyvisor.libvirt;

import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.Events;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Lifecycle events from libvirt's event loop thread, fanned out to subscribers. One libvirt
 * registration per connection, made with the first subscriber and made again after a reconnect.
 * Subscribers run on the event loop thread and must not block (nor call libvirt synchronously).
 */
final class LibvirtEvents implements Events {
    private final LibvirtConnection host;
    private final CopyOnWriteArrayList<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();
    private final LifecycleListener bridge = (domain, event) -> {
        dispatch(domain, event);
        return 0;
    };
    private Connect registeredOn;

    LibvirtEvents(LibvirtConnection host) {
        this.host = host;
    }

    @Override
    public AutoCloseable subscribe(Consumer<DomainEvent> listener) {
        listeners.add(listener);
        synchronized (this) {
            if (registeredOn == null) {
                registeredOn = host.call("subscribe to events", () -> {
                    var c = host.live();
                    c.addLifecycleListener(bridge);
                    return c;
                });
            }
        }
        return () -> listeners.remove(listener);
    }

    private void dispatch(org.libvirt.Domain domain, org.libvirt.event.DomainEvent event) {
        var change = EventMapping.of(event.getType(), event.getDetail());
        if (change.isEmpty()) return;
        UUID id;
        try {
            id = UUID.fromString(domain.getUUIDString());
        } catch (LibvirtException e) {
            return;
        }
        var e = new DomainEvent(id, change.get().state(), change.get().reason(), Instant.now());
        for (var l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException bug) {
                System.err.println("event listener failed on " + e + ": " + bug);
            }
        }
    }

    /** After a reconnect: register on the new connection if anyone listens. */
    synchronized void reattach(Connect fresh) {
        if (registeredOn == null) return;
        try {
            fresh.addLifecycleListener(bridge);
            registeredOn = fresh;
        } catch (LibvirtException e) {
            registeredOn = null;
        }
    }

    synchronized void closeAll() {
        listeners.clear();
        if (registeredOn == null) return;
        try {
            registeredOn.removeLifecycleListener(bridge);
        } catch (LibvirtException e) {
            // connection already gone
        }
        registeredOn = null;
    }
}
