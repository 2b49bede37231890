package io.polyvisor.spi;

import java.util.function.Consumer;

/**
 * Optional capability: lifecycle events pushed as they happen. Listeners run on a driver thread and
 * must not block. Closing the returned handle stops delivery.
 */
public interface Events {
    AutoCloseable subscribe(Consumer<DomainEvent> listener);
}
