package io.polyvisor.store;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * PostgreSQL LISTEN/NOTIFY for the events table (docs/CLUSTER.md, "Any server answers, every server streams"). Every
 * transaction that appends events sends a notification on the channel {@code polyvisor_events_SCHEMA}, which
 * PostgreSQL delivers at its commit, and only then, to every session listening on the channel, in every server
 * sharing the database. {@link #listen} keeps one connection of its own (not the pool's) listening, and runs the
 * callback on its thread after each batch of notifications; when the connection breaks (a database restart) it
 * connects again, with a pause, and runs the callback once connected in case it missed some.
 */
final class EventNotifications {
    private static final Logger log = LoggerFactory.getLogger(EventNotifications.class);
    /** How long one wait for notifications lasts: the longest a close waits for the listener thread. */
    private static final int WAIT_MS = 500;

    private final String channel;
    private final Callable<Connection> connect;

    /** @param schema the schema the store works in; @param connect opens a connection outside the pool */
    EventNotifications(String schema, Callable<Connection> connect) {
        this.channel = "polyvisor_events_" + schema;
        this.connect = connect;
    }

    /** Called inside a transaction that appended events: its listeners hear of it once it commits. */
    void notify(Handle h) {
        h.createQuery("SELECT 1 FROM (SELECT pg_notify(:c, '')) n").bind("c", channel).mapTo(Integer.class).one();
    }

    /** Runs {@code heard} on a thread of its own soon after any transaction on the database appended events. */
    AutoCloseable listen(Runnable heard) {
        var listener = new Listener(heard);
        Thread t = Thread.ofPlatform().daemon().name("pg-listen").start(listener);
        return () -> {
            listener.stop = true;
            t.interrupt();
            t.join(5_000);
        };
    }

    private final class Listener implements Runnable {
        private final Runnable heard;
        private volatile boolean stop;

        Listener(Runnable heard) {
            this.heard = heard;
        }

        private void tell() {
            try {
                heard.run();
            } catch (RuntimeException e) {
                log.warn("handling an event notification failed: {}", e.toString());
            }
        }

        @Override
        public void run() {
            while (!stop) {
                try (Connection c = connect.call()) {
                    c.setAutoCommit(true);
                    try (var s = c.createStatement()) {
                        s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
                    }
                    log.debug("listening for events on channel {}", channel);
                    tell(); // whatever was committed before LISTEN took effect
                    PGConnection pg = c.unwrap(PGConnection.class);
                    while (!stop) {
                        var batch = pg.getNotifications(WAIT_MS);
                        if (batch != null && batch.length > 0) tell();
                    }
                } catch (SQLException | RuntimeException e) {
                    if (stop) return;
                    log.warn("listening for events failed (the poll carries on meanwhile): {}", e.toString());
                } catch (Exception e) {
                    if (stop) return;
                    log.warn("cannot connect to listen for events (the poll carries on meanwhile): {}", e.toString());
                }
                try {
                    Thread.sleep(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
