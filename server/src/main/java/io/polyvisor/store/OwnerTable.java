package io.polyvisor.store;

import io.polyvisor.access.Owned;
import org.jdbi.v3.core.Handle;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code owners}: the project of each network, volume, group, template and security group that has one recorded. */
final class OwnerTable {
    private OwnerTable() {}

    /** Records {@code project} as the owner of {@code kind}/{@code name}, replacing any earlier row. */
    static void set(Tx tx, Owned kind, String name, String project) {
        drop(tx.handle, kind, name);
        tx.handle.createUpdate("INSERT INTO owners (kind, name, project) VALUES (:k, :n, :p)")
                .bind("k", kind.label()).bind("n", name).bind("p", project).execute();
    }

    static void drop(Handle h, Owned kind, String name) {
        h.createUpdate("DELETE FROM owners WHERE kind = :k AND name = :n").bind("k", kind.label()).bind("n", name).execute();
    }

    static Optional<String> of(Handle h, Owned kind, String name) {
        return h.createQuery("SELECT project FROM owners WHERE kind = :k AND name = :n").bind("k", kind.label())
                .bind("n", name).mapTo(String.class).findOne();
    }

    static Map<String, String> all(Handle h, Owned kind) {
        Map<String, String> out = new HashMap<>();
        h.createQuery("SELECT name, project FROM owners WHERE kind = :k").bind("k", kind.label())
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("project"))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
