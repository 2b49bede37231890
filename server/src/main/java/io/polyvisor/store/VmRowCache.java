package io.polyvisor.store;

import io.polyvisor.model.Vm;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed rows of {@code vms} by id and {@code version}, so that reading every VM (placement reads them all for each
 * create, HA every tick) parses only the rows written since the last read. A list query first reads each row's id and
 * version (no JSON columns), then fetches and parses, in the same transaction, the rows whose version the cache does
 * not hold. Every write bumps {@code version} (see {@link VmTable}), on this server or another sharing the database,
 * so a cached row is returned only while it is the row in the table. Thread-safe; a row read twice at once is parsed
 * twice, harmlessly.
 */
final class VmRowCache {
    private record Row(long version, Vm vm) {}

    private record Key(UUID id, long version) {}

    private final Map<UUID, Row> rows = new ConcurrentHashMap<>();

    /** The rows {@code where} selects (an SQL condition on {@code vms}, may be empty), ordered by name then id. */
    List<Vm> list(Handle h, String where, Map<String, Object> args) {
        var keys = h.createQuery("SELECT id, version FROM vms " + where + " ORDER BY name, id").bindMap(args)
                .map((rs, ctx) -> new Key(rs.getObject("id", UUID.class), rs.getLong("version"))).list();
        List<UUID> stale = new ArrayList<>();
        for (Key k : keys) {
            Row r = rows.get(k.id());
            if (r == null || r.version() != k.version()) stale.add(k.id());
        }
        Map<UUID, Row> fresh = new java.util.HashMap<>();
        for (int i = 0; i < stale.size(); i += 500) {
            h.createQuery("SELECT * FROM vms WHERE id IN (<ids>)").bindList("ids", stale.subList(i, Math.min(stale.size(), i + 500)))
                    .map((rs, ctx) -> new Row(rs.getLong("version"), VmTable.read(rs)))
                    .forEach(r -> fresh.put(r.vm().id(), r));
        }
        rows.putAll(fresh);
        List<Vm> out = new ArrayList<>(keys.size());
        for (Key k : keys) {
            Row r = fresh.containsKey(k.id()) ? fresh.get(k.id()) : rows.get(k.id());
            if (r != null) out.add(r.vm()); // null: deleted between the two queries (read committed)
        }
        if (where.isEmpty() && rows.size() > keys.size()) forgetAllBut(keys); // rows purged from the table
        return out;
    }

    private void forgetAllBut(List<Key> keys) {
        Set<UUID> ids = new HashSet<>(keys.size() * 2);
        for (Key k : keys) ids.add(k.id());
        rows.keySet().retainAll(ids);
    }
}
