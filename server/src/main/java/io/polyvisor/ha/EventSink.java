package io.polyvisor.ha;

import io.polyvisor.events.EventType;

/** Where HA records what it does (the server's journal). Every step of a failover is one event. */
@FunctionalInterface
public interface EventSink {
    void record(EventType type, String subject, String message);
}
