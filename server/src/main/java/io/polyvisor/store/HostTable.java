package io.polyvisor.store;

import io.polyvisor.disk.SharedPool;
import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Rows of {@code hosts}. */
final class HostTable {
    private HostTable() {}

    static void insert(Tx tx, Host host) {
        tx.guarded(() -> bind(tx.handle.createUpdate("""
                INSERT INTO hosts (name, uri, cpus, memory_bytes, labels, state)
                VALUES (:name, :uri, :cpus, :memory, :labels, :state)"""), host).execute(),
                () -> conflict(tx.handle, host));
    }

    static void update(Tx tx, Host host) {
        int[] rows = new int[1];
        tx.guarded(() -> rows[0] = bind(tx.handle.createUpdate("""
                UPDATE hosts SET uri = :uri, cpus = :cpus, memory_bytes = :memory, labels = :labels, state = :state
                WHERE name = :name"""), host).execute(),
                () -> conflict(tx.handle, host));
        if (rows[0] == 0) throw new NoSuchElementException("host " + host.name() + " not found");
    }

    static void delete(Handle h, String name) {
        h.createUpdate("DELETE FROM hosts WHERE name = :name").bind("name", name).execute();
    }

    static Optional<Host> byName(Handle h, String name) {
        var pools = StorageTable.poolsByHost(h);
        return h.createQuery("SELECT * FROM hosts WHERE name = :name").bind("name", name).map((rs, ctx) -> read(rs, pools)).findOne();
    }

    static List<Host> all(Handle h) {
        var pools = StorageTable.poolsByHost(h);
        return h.createQuery("SELECT * FROM hosts ORDER BY name").map((rs, ctx) -> read(rs, pools)).list();
    }

    /**
     * The stored labels with the shared pools the host declares as {@link SharedPool#LABEL_PREFIX}NAME labels: derived
     * from {@code pool_hosts} on every read and never written back ({@link #stored}), so they always agree with the pools.
     */
    private static java.util.Map<String, String> labels(java.util.Map<String, String> stored, List<String> pools) {
        if (pools == null || pools.isEmpty()) return stored;
        var out = new java.util.LinkedHashMap<>(stored);
        out.putAll(SharedPool.labels(pools));
        return out;
    }

    /** The labels to store: without the derived pool labels. */
    private static java.util.Map<String, String> stored(java.util.Map<String, String> labels) {
        var out = new java.util.LinkedHashMap<String, String>();
        labels.forEach((k, v) -> {
            if (!k.startsWith(SharedPool.LABEL_PREFIX)) out.put(k, v);
        });
        return out;
    }

    /** Says which rule {@code host} broke, reading the row it collided with. */
    private static Store.Conflict conflict(Handle h, Host host) {
        var byUri = h.createQuery("SELECT name FROM hosts WHERE uri = :uri AND name <> :name")
                .bind("uri", host.uri().toString()).bind("name", host.name()).mapTo(String.class).findOne();
        if (byUri.isPresent()) {
            return new Store.Conflict("host URI " + host.uri() + " is already registered as " + byUri.get());
        }
        return new Store.Conflict("a host named " + host.name() + " already exists");
    }

    private static <S extends SqlStatement<S>> S bind(S s, Host host) {
        Capacity c = host.capacity();
        return s.bind("name", host.name())
                .bind("uri", host.uri().toString())
                .bind("cpus", c == null ? null : c.cpus())
                .bind("memory", c == null ? null : c.memoryBytes())
                .bind("labels", Json.strings(stored(host.labels())))
                .bind("state", host.state().label());
    }

    private static Host read(ResultSet rs, java.util.Map<String, List<String>> pools) throws SQLException {
        long memory = rs.getLong("memory_bytes");
        Capacity capacity = rs.wasNull() ? null : new Capacity(rs.getInt("cpus"), memory);
        return new Host(rs.getString("name"), URI.create(rs.getString("uri")), capacity,
                labels(stored(Json.strings(rs.getString("labels"))), pools.get(rs.getString("name"))), HostState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)));
    }
}
