package io.polyvisor.store;

import io.polyvisor.leases.ClusterLease;
import io.polyvisor.leases.Member;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Rows of {@code servers} and {@code cluster_leases} (docs/CLUSTER.md). PostgreSQL only: every time is the
 * database's ({@code clock_timestamp()}, the time when the statement runs, not when its transaction began), so
 * servers whose clocks differ agree on who is alive and which lease has expired.
 */
final class ClusterTable {
    private ClusterTable() {}

    private static final String TTL = "make_interval(secs => :ttl / 1000.0)";
    private static final String MEMBER = "SELECT name, address, started, heartbeat, epoch,"
            + " (EXTRACT(EPOCH FROM (clock_timestamp() - heartbeat)) * 1000)::BIGINT AS age FROM servers";

    /**
     * Registers {@code name} for {@code instance}: a new row, or the row of a dead server of that name, or of this
     * same instance (a restart on the same data folder), taken over with its epoch + 1. Returns the member if the
     * name is held by another instance whose heartbeat is younger than {@code ttlMillis}; nothing is written then.
     */
    static Optional<Member> join(Tx tx, String name, String instance, String address, long ttlMillis) {
        Handle h = tx.handle;
        h.createUpdate("INSERT INTO servers (name, instance, address, started, heartbeat, epoch)"
                        + " VALUES (:n, :i, :a, clock_timestamp(), clock_timestamp() - interval '1 day', 0) ON CONFLICT (name) DO NOTHING")
                .bind("n", name).bind("i", instance).bind("a", address).execute();
        var row = h.createQuery("SELECT instance, (EXTRACT(EPOCH FROM (clock_timestamp() - heartbeat)) * 1000)::BIGINT AS age"
                        + " FROM servers WHERE name = :n FOR UPDATE")
                .bind("n", name).map((rs, c) -> new Object[] {rs.getString(1), rs.getLong(2)}).one();
        if (!instance.equals(row[0]) && (long) row[1] < ttlMillis) return member(h, name);
        h.createUpdate("UPDATE servers SET instance = :i, address = :a, started = clock_timestamp(), heartbeat = clock_timestamp(),"
                        + " epoch = epoch + 1 WHERE name = :n")
                .bind("n", name).bind("i", instance).bind("a", address).execute();
        return Optional.empty();
    }

    /** Records a heartbeat; false if the row is no longer this instance's (another server took the name). */
    static boolean heartbeat(Handle h, String name, String instance) {
        return h.createUpdate("UPDATE servers SET heartbeat = clock_timestamp() WHERE name = :n AND instance = :i")
                .bind("n", name).bind("i", instance).execute() == 1;
    }

    /** Removes this instance's row and gives up its leases at once (a graceful stop). */
    static void leave(Handle h, String name, String instance) {
        int gone = h.createUpdate("DELETE FROM servers WHERE name = :n AND instance = :i").bind("n", name).bind("i", instance).execute();
        if (gone == 1) {
            h.createUpdate("UPDATE cluster_leases SET expires = clock_timestamp() WHERE owner = :n").bind("n", name).execute();
        }
    }

    static List<Member> members(Handle h) {
        return h.createQuery(MEMBER + " ORDER BY name").map(ClusterTable::member).list();
    }

    private static Optional<Member> member(Handle h, String name) {
        return h.createQuery(MEMBER + " WHERE name = :n").bind("n", name).map(ClusterTable::member).findOne();
    }

    private static Member member(ResultSet rs, org.jdbi.v3.core.statement.StatementContext c) throws SQLException {
        return new Member(rs.getString("name"), rs.getString("address"), rs.getObject("started", OffsetDateTime.class).toInstant(),
                rs.getObject("heartbeat", OffsetDateTime.class).toInstant(), rs.getLong("age"), rs.getLong("epoch"));
    }

    static List<ClusterLease> leases(Handle h) {
        return h.createQuery("SELECT name, owner, epoch, (EXTRACT(EPOCH FROM (expires - clock_timestamp())) * 1000)::BIGINT AS remaining"
                        + " FROM cluster_leases ORDER BY name")
                .map((rs, c) -> new ClusterLease(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4))).list();
    }

    /**
     * Takes {@code lease} for {@code owner} if it is free, expired, or already {@code owner}'s (a holder that lost
     * track of it, or its previous process), with a new epoch (the old + 1). Returns that epoch, or nothing if another
     * owner holds it. A holder's transaction checking it ({@link #holds}) holds a share lock: this waits for it.
     */
    static OptionalLong acquire(Handle h, String lease, String owner, long ttlMillis) {
        lockForTakeover(h, List.of(lease));
        return h.createQuery("INSERT INTO cluster_leases AS l (name, owner, epoch, expires) VALUES (:n, :o, 1, clock_timestamp() + " + TTL + ")"
                        + " ON CONFLICT (name) DO UPDATE SET owner = :o, epoch = l.epoch + 1, expires = clock_timestamp() + " + TTL
                        + " WHERE l.expires <= clock_timestamp() OR l.owner = :o RETURNING epoch")
                .bind("n", lease).bind("o", owner).bind("ttl", ttlMillis)
                .mapTo(Long.class).findOne().map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /**
     * {@link #acquire} for every name of {@code leases} in one statement (in name order, so that two servers taking
     * overlapping sets lock rows in the same order); returns the epoch of each lease taken.
     */
    static java.util.Map<String, Long> acquireAll(Handle h, java.util.Collection<String> leases, String owner, long ttlMillis) {
        if (leases.isEmpty()) return java.util.Map.of();
        var names = new java.util.ArrayList<>(new java.util.TreeSet<>(leases));
        lockForTakeover(h, names);
        var out = new java.util.HashMap<String, Long>();
        h.createQuery("INSERT INTO cluster_leases AS l (name, owner, epoch, expires)"
                        + " SELECT n, :o, 1, clock_timestamp() + " + TTL + " FROM unnest(CAST(:names AS VARCHAR[])) WITH ORDINALITY AS u(n, i) ORDER BY i"
                        + " ON CONFLICT (name) DO UPDATE SET owner = :o, epoch = l.epoch + 1, expires = clock_timestamp() + " + TTL
                        + " WHERE l.expires <= clock_timestamp() OR l.owner = :o RETURNING name, epoch")
                .bind("o", owner).bind("ttl", ttlMillis).bindArray("names", String.class, names)
                .map((rs, c) -> out.put(rs.getString(1), rs.getLong(2))).list();
        return out;
    }

    /**
     * Locks the existing rows of {@code names} (in name order) FOR UPDATE, the one lock a fencing check's FOR KEY SHARE
     * conflicts with: an acquisition waits until every transaction that checked one of these leases has ended, while
     * renewals and releases (plain updates of {@code expires}) never wait for them.
     */
    private static void lockForTakeover(Handle h, List<String> names) {
        h.createQuery("SELECT name FROM cluster_leases WHERE name = ANY(CAST(:names AS VARCHAR[])) ORDER BY name FOR UPDATE")
                .bindArray("names", String.class, names).mapTo(String.class).list();
    }

    /** Extends the lease by {@code ttlMillis} from now, only if {@code owner} holds it at {@code epoch} and it has not expired. */
    static boolean renew(Handle h, String lease, String owner, long epoch, long ttlMillis) {
        return h.createUpdate("UPDATE cluster_leases SET expires = clock_timestamp() + " + TTL
                        + " WHERE name = :n AND owner = :o AND epoch = :e AND expires > clock_timestamp()")
                .bind("n", lease).bind("o", owner).bind("e", epoch).bind("ttl", ttlMillis).execute() == 1;
    }

    /**
     * Renews, in one statement, every lease in {@code held} (name to epoch) that {@code owner} still holds at that epoch
     * unexpired; returns the names renewed. One round trip however many hosts a server owns, so a round stays short.
     */
    static java.util.Set<String> renewAll(Handle h, String owner, java.util.Map<String, Long> held, long ttlMillis) {
        if (held.isEmpty()) return java.util.Set.of();
        var names = new java.util.ArrayList<>(held.keySet());
        var epochs = names.stream().map(held::get).toList();
        return new java.util.HashSet<>(h.createQuery("UPDATE cluster_leases SET expires = clock_timestamp() + " + TTL
                        + " WHERE owner = :o AND expires > clock_timestamp()"
                        + " AND (name, epoch) IN (SELECT * FROM unnest(CAST(:names AS VARCHAR[]), CAST(:epochs AS BIGINT[]))) RETURNING name")
                .bind("o", owner).bind("ttl", ttlMillis).bindArray("names", String.class, names).bindArray("epochs", Long.class, epochs)
                .mapTo(String.class).list());
    }

    /** Ends the lease now if {@code owner} holds it at {@code epoch} (a handover): the next owner need not wait for its expiry. */
    static void release(Handle h, String lease, String owner, long epoch) {
        h.createUpdate("UPDATE cluster_leases SET expires = clock_timestamp() WHERE name = :n AND owner = :o AND epoch = :e")
                .bind("n", lease).bind("o", owner).bind("e", epoch).execute();
    }

    /**
     * The fencing check: whether {@code owner} holds {@code lease} at {@code epoch}, unexpired, now. Inside a
     * transaction the row stays locked FOR KEY SHARE until it ends, so no acquisition (which first locks the row FOR
     * UPDATE) can commit between this check and the transaction's own commit: the transaction's writes are made under a
     * lease that was valid when they committed. Renewals are plain updates of {@code expires} and do not wait for it.
     */
    static boolean holds(Handle h, String lease, String owner, long epoch) {
        return h.createQuery("SELECT 1 FROM cluster_leases WHERE name = :n AND owner = :o AND epoch = :e AND expires > clock_timestamp() FOR KEY SHARE")
                .bind("n", lease).bind("o", owner).bind("e", epoch).mapTo(Integer.class).findOne().isPresent();
    }

    /**
     * {@link #holds} for every lease in {@code leases} (name to epoch) in one statement: true only if each is held by
     * {@code owner} at its epoch, unexpired; the rows found stay locked FOR KEY SHARE until the transaction ends.
     */
    static boolean holdsAll(Handle h, String owner, java.util.Map<String, Long> leases) {
        if (leases.size() == 1) {
            var e = leases.entrySet().iterator().next();
            return holds(h, e.getKey(), owner, e.getValue());
        }
        var names = new java.util.ArrayList<>(leases.keySet());
        var epochs = names.stream().map(leases::get).toList();
        int found = h.createQuery("SELECT name FROM cluster_leases WHERE owner = :o AND expires > clock_timestamp()"
                        + " AND (name, epoch) IN (SELECT * FROM unnest(CAST(:names AS VARCHAR[]), CAST(:epochs AS BIGINT[])))"
                        + " ORDER BY name FOR KEY SHARE") // name order, as acquisitions take rows: no lock cycle between them
                .bind("o", owner).bindArray("names", String.class, names).bindArray("epochs", Long.class, epochs)
                .mapTo(String.class).list().size();
        return found == leases.size();
    }
}
