package io.polyvisor.ha;

/** Where HA records what it does (the server's journal). Every step of a failover is one event. */
@FunctionalInterface
public interface EventSink {
    void record(String type, String subject, String message);
}
