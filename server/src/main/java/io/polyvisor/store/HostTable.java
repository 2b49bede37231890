package io.polyvisor.store;

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
        return h.createQuery("SELECT * FROM hosts WHERE name = :name").bind("name", name).map((rs, ctx) -> read(rs)).findOne();
    }

    static List<Host> all(Handle h) {
        return h.createQuery("SELECT * FROM hosts ORDER BY name").map((rs, ctx) -> read(rs)).list();
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
                .bind("labels", Json.strings(host.labels()))
                .bind("state", host.state().label());
    }

    private static Host read(ResultSet rs) throws SQLException {
        long memory = rs.getLong("memory_bytes");
        Capacity capacity = rs.wasNull() ? null : new Capacity(rs.getInt("cpus"), memory);
        return new Host(rs.getString("name"), URI.create(rs.getString("uri")), capacity,
                Json.strings(rs.getString("labels")), HostState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)));
    }
}
