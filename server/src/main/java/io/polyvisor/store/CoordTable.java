package io.polyvisor.store;

import io.polyvisor.coordination.KvEntry;
import io.polyvisor.coordination.Lease;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rows of {@code coord_groups}, {@code coord_kv}, {@code coord_leases}, {@code coord_tokens} and {@code vm_user_data} (docs/COORDINATION.md). */
final class CoordTable {
    private CoordTable() {}

    /**
     * Locks the group's row until the transaction ends, creating it at revision 0 (update-then-insert, like settings:
     * portable; a racing insert loses under a savepoint and updates the winner's row), adds {@code inc}, returns the revision.
     */
    static long lock(Tx tx, String group, int inc) {
        if (bump(tx.handle, group, inc) == 0) {
            try {
                tx.guarded(() -> tx.handle.createUpdate("INSERT INTO coord_groups (group_name, revision) VALUES (:g, :r)")
                        .bind("g", group).bind("r", (long) inc).execute(), () -> new Store.Conflict(group));
            } catch (Store.Conflict raced) {
                bump(tx.handle, group, inc);
            }
        }
        return tx.handle.createQuery("SELECT revision FROM coord_groups WHERE group_name = :g").bind("g", group).mapTo(Long.class).one();
    }

    private static int bump(Handle h, String group, int inc) {
        return h.createUpdate("UPDATE coord_groups SET revision = revision + :inc WHERE group_name = :g")
                .bind("inc", (long) inc).bind("g", group).execute();
    }

    /**
     * Appends a message to the topic (the caller holds the group's lock) and removes all but its newest {@code keep};
     * returns the message's seq.
     */
    static long appendMessage(Handle h, String group, String topic, String sender, String body, java.time.Instant at, int keep) {
        long seq = lastMessage(h, group, topic) + 1;
        h.createUpdate("INSERT INTO coord_messages (group_name, topic, seq, sender, body, at) VALUES (:g, :t, :s, :from, :b, :at)")
                .bind("g", group).bind("t", topic).bind("s", seq).bind("from", sender).bind("b", body)
                .bind("at", at.atOffset(java.time.ZoneOffset.UTC)).execute();
        h.createUpdate("DELETE FROM coord_messages WHERE group_name = :g AND topic = :t AND seq <= :old")
                .bind("g", group).bind("t", topic).bind("old", seq - keep).execute();
        return seq;
    }

    static long lastMessage(Handle h, String group, String topic) {
        Long last = h.createQuery("SELECT MAX(seq) FROM coord_messages WHERE group_name = :g AND topic = :t")
                .bind("g", group).bind("t", topic).mapTo(Long.class).one();
        return last == null ? 0 : last;
    }

    static List<io.polyvisor.coordination.Message> messages(Handle h, String group, String topic, long after, int limit) {
        return h.createQuery("SELECT * FROM coord_messages WHERE group_name = :g AND topic = :t AND seq > :after ORDER BY seq LIMIT :limit")
                .bind("g", group).bind("t", topic).bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> new io.polyvisor.coordination.Message(rs.getString("group_name"), rs.getString("topic"), rs.getLong("seq"),
                        rs.getString("sender"), rs.getString("body"), TaskTable.instant(rs, "at")))
                .list();
    }

    static long revision(Handle h, String group) {
        return h.createQuery("SELECT revision FROM coord_groups WHERE group_name = :g").bind("g", group).mapTo(Long.class)
                .findOne().orElse(0L);
    }

    /**
     * With {@code lock} (inside a transaction), reads with {@code FOR UPDATE} and holds the row until the transaction
     * ends. On PostgreSQL a locking read returns the newest committed row. On H2 a transaction that waited for the
     * group's lock was seen to read the row as it was before the wait, even so; the coordination service therefore
     * also serializes a group's writes in its process (coord.Coordination).
     */
    static Optional<KvEntry> kv(Handle h, String group, String key, boolean lock) {
        return h.createQuery("SELECT * FROM coord_kv WHERE group_name = :g AND kv_key = :k" + (lock ? " FOR UPDATE" : "")).bind("g", group).bind("k", key)
                .map((rs, ctx) -> kv(rs)).findOne();
    }

    static List<KvEntry> kvs(Handle h, String group, String prefix) {
        return h.createQuery("SELECT * FROM coord_kv WHERE group_name = :g ORDER BY kv_key").bind("g", group)
                .map((rs, ctx) -> kv(rs)).stream().filter(e -> e.key().startsWith(prefix)).toList();
    }

    static long compacted(Handle h, String group) {
        return h.createQuery("SELECT compacted_revision FROM coord_groups WHERE group_name = :g").bind("g", group).mapTo(Long.class)
                .findOne().orElse(0L);
    }

    static int compact(Tx tx, String group, long upTo) {
        int removed = tx.handle.createUpdate("DELETE FROM coord_kv WHERE group_name = :g AND kv_value IS NULL AND revision <= :upTo")
                .bind("g", group).bind("upTo", upTo).execute();
        tx.handle.createUpdate("UPDATE coord_groups SET compacted_revision = :upTo WHERE group_name = :g AND compacted_revision < :upTo")
                .bind("g", group).bind("upTo", upTo).execute();
        return removed;
    }

    static List<String> groupsToCompact(Handle h, long keep) {
        return h.createQuery("SELECT DISTINCT k.group_name FROM coord_kv k JOIN coord_groups g ON g.group_name = k.group_name "
                        + "WHERE k.kv_value IS NULL AND k.revision <= g.revision - :keep ORDER BY k.group_name")
                .bind("keep", keep).mapTo(String.class).list();
    }

    static void putKv(Tx tx, KvEntry e) {
        int rows = tx.handle.createUpdate("UPDATE coord_kv SET kv_value = :v, revision = :r WHERE group_name = :g AND kv_key = :k")
                .bind("v", e.value()).bind("r", e.revision()).bind("g", e.group()).bind("k", e.key()).execute();
        if (rows > 0) return;
        // the caller holds the group's lock (lock above), so no insert races this one
        tx.handle.createUpdate("INSERT INTO coord_kv (group_name, kv_key, kv_value, revision) VALUES (:g, :k, :v, :r)")
                .bind("v", e.value()).bind("r", e.revision()).bind("g", e.group()).bind("k", e.key()).execute();
    }

    /** {@code lock}: as for {@link #kv}. */
    static Optional<Lease> lease(Handle h, String group, String name, boolean lock) {
        return h.createQuery("SELECT * FROM coord_leases WHERE group_name = :g AND lease_name = :n" + (lock ? " FOR UPDATE" : "")).bind("g", group).bind("n", name)
                .map((rs, ctx) -> lease(rs)).findOne();
    }

    /** Every lease of {@code group}, or of all groups when null, by group and name. */
    static List<Lease> leases(Handle h, String group) {
        var q = h.createQuery("SELECT * FROM coord_leases" + (group == null ? "" : " WHERE group_name = :g") + " ORDER BY group_name, lease_name");
        if (group != null) q.bind("g", group);
        return q.map((rs, ctx) -> lease(rs)).list();
    }

    static void putLease(Tx tx, Lease l) {
        var u = tx.handle.createUpdate("""
                UPDATE coord_leases SET holder = :holder, holder_name = :holder_name, holder_host = :holder_host, token = :token,
                    ttl_s = :ttl, expires_at = :expires WHERE group_name = :g AND lease_name = :n""");
        if (bind(u, l).execute() > 0) return;
        bind(tx.handle.createUpdate("""
                INSERT INTO coord_leases (group_name, lease_name, holder, holder_name, holder_host, token, ttl_s, expires_at)
                VALUES (:g, :n, :holder, :holder_name, :holder_host, :token, :ttl, :expires)"""), l).execute();
    }

    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S s, Lease l) {
        // a null UUID must be bound typed: PostgreSQL refuses an untyped null (sent as varchar) for a uuid column
        if (l.holder() == null) s.bindNull("holder", java.sql.Types.OTHER);
        else s.bind("holder", l.holder());
        return s.bind("g", l.group()).bind("n", l.name()).bind("holder_name", l.holderName())
                .bind("holder_host", l.holderHost()).bind("token", l.token()).bind("ttl", l.ttlSeconds())
                .bind("expires", TaskTable.utc(l.expiresAt()));
    }

    static void putToken(Tx tx, UUID vm, String hash) {
        tx.handle.createUpdate("DELETE FROM coord_tokens WHERE vm_id = :vm").bind("vm", vm).execute();
        tx.handle.createUpdate("INSERT INTO coord_tokens (vm_id, token_hash) VALUES (:vm, :hash)").bind("vm", vm).bind("hash", hash).execute();
    }

    static Optional<UUID> vmByToken(Handle h, String hash) {
        return h.createQuery("SELECT vm_id FROM coord_tokens WHERE token_hash = :hash").bind("hash", hash).mapTo(UUID.class).findOne();
    }

    static void putUserData(Tx tx, UUID vm, String data) {
        tx.handle.createUpdate("DELETE FROM vm_user_data WHERE vm_id = :vm").bind("vm", vm).execute();
        if (data != null) {
            tx.handle.createUpdate("INSERT INTO vm_user_data (vm_id, user_data) VALUES (:vm, :data)").bind("vm", vm).bind("data", data).execute();
        }
    }

    static Optional<String> userData(Handle h, UUID vm) {
        return h.createQuery("SELECT user_data FROM vm_user_data WHERE vm_id = :vm").bind("vm", vm).mapTo(String.class).findOne();
    }

    private static KvEntry kv(ResultSet rs) throws SQLException {
        return new KvEntry(rs.getString("group_name"), rs.getString("kv_key"), rs.getString("kv_value"), rs.getLong("revision"));
    }

    private static Lease lease(ResultSet rs) throws SQLException {
        String holder = rs.getString("holder");
        return new Lease(rs.getString("group_name"), rs.getString("lease_name"), holder == null ? null : UUID.fromString(holder),
                rs.getString("holder_name"), rs.getString("holder_host"), rs.getLong("token"), rs.getInt("ttl_s"),
                TaskTable.instant(rs, "expires_at"));
    }
}
