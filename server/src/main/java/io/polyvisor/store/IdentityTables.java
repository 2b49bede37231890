package io.polyvisor.store;

import io.polyvisor.access.AuditEntry;
import io.polyvisor.access.Project;
import io.polyvisor.access.Quota;
import io.polyvisor.access.Role;
import io.polyvisor.access.User;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Rows of {@code users}, {@code projects} and {@code audit} (docs/SECURITY.md). */
final class IdentityTables {
    private IdentityTables() {}

    // --- users
    static void insertUser(Tx tx, User u, String tokenHash) {
        tx.guarded(() -> bindUser(tx.handle.createUpdate("""
                INSERT INTO users (name, role, projects, token_hash, created, expires, revoked)
                VALUES (:name, :role, :projects, :hash, :created, :expires, :revoked)"""), u).bind("hash", tokenHash).execute(),
                () -> new Store.Conflict("a user named " + u.name() + " already exists"));
    }

    /** Replaces the user's row; {@code tokenHash} null keeps the stored credential. */
    static void updateUser(Tx tx, User u, String tokenHash) {
        int rows = bindUser(tx.handle.createUpdate("""
                UPDATE users SET role = :role, projects = :projects, created = :created, expires = :expires, revoked = :revoked,
                    token_hash = COALESCE(:hash, token_hash) WHERE name = :name"""), u).bind("hash", tokenHash).execute();
        if (rows == 0) throw new NoSuchElementException("user " + u.name() + " not found");
    }

    static Optional<User> user(Handle h, String name) {
        return h.createQuery("SELECT * FROM users WHERE name = :n").bind("n", name).map((rs, ctx) -> user(rs)).findOne();
    }

    static Optional<User> userByToken(Handle h, String hash) {
        return h.createQuery("SELECT * FROM users WHERE token_hash = :h").bind("h", hash).map((rs, ctx) -> user(rs)).findOne();
    }

    static List<User> users(Handle h) {
        return h.createQuery("SELECT * FROM users ORDER BY name").map((rs, ctx) -> user(rs)).list();
    }

    private static <S extends SqlStatement<S>> S bindUser(S s, User u) {
        s.bind("name", u.name()).bind("role", u.role().label()).bind("projects", Json.names(u.projects()))
                .bind("created", TaskTable.utc(u.created()));
        time(s, "expires", u.expires());
        return time(s, "revoked", u.revoked());
    }

    /** A time, or a null typed as one (PostgreSQL refuses some untyped nulls). */
    private static <S extends SqlStatement<S>> S time(S s, String name, Instant t) {
        return t == null ? s.bindNull(name, Types.TIMESTAMP_WITH_TIMEZONE) : s.bind(name, TaskTable.utc(t));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("name"), Role.parse(rs.getString("role")), Json.names(rs.getString("projects")),
                TaskTable.instant(rs, "created"), nullableInstant(rs, "expires"), nullableInstant(rs, "revoked"));
    }

    private static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column) == null ? null : TaskTable.instant(rs, column);
    }

    // --- projects
    static void insertProject(Tx tx, Project p) {
        tx.guarded(() -> bindProject(tx.handle.createUpdate("""
                INSERT INTO projects (name, quota_vcpus, quota_memory_bytes, quota_vms, quota_disk_bytes)
                VALUES (:name, :vcpus, :memory, :vms, :disk)"""), p)
                .execute(), () -> new Store.Conflict("a project named " + p.name() + " already exists"));
    }

    static void updateProject(Tx tx, Project p) {
        int rows = bindProject(tx.handle.createUpdate("""
                UPDATE projects SET quota_vcpus = :vcpus, quota_memory_bytes = :memory, quota_vms = :vms, quota_disk_bytes = :disk
                WHERE name = :name"""), p).execute();
        if (rows == 0) throw new NoSuchElementException("project " + p.name() + " not found");
    }

    static void deleteProject(Handle h, String name) {
        h.createUpdate("DELETE FROM projects WHERE name = :n").bind("n", name).execute();
    }

    /** With {@code lock} (inside a transaction), holds the row until the transaction ends: creates in the project wait. */
    static Optional<Project> project(Handle h, String name, boolean lock) {
        return h.createQuery("SELECT * FROM projects WHERE name = :n" + (lock ? " FOR UPDATE" : "")).bind("n", name)
                .map((rs, ctx) -> project(rs)).findOne();
    }

    static List<Project> projects(Handle h) {
        return h.createQuery("SELECT * FROM projects ORDER BY name").map((rs, ctx) -> project(rs)).list();
    }

    private static <S extends SqlStatement<S>> S bindProject(S s, Project p) {
        Quota q = p.quota();
        s.bind("name", p.name());
        if (q.vcpus() == null) s.bindNull("vcpus", Types.INTEGER); else s.bind("vcpus", q.vcpus());
        if (q.memoryBytes() == null) s.bindNull("memory", Types.BIGINT); else s.bind("memory", q.memoryBytes());
        if (q.vms() == null) s.bindNull("vms", Types.INTEGER); else s.bind("vms", q.vms());
        if (q.diskBytes() == null) s.bindNull("disk", Types.BIGINT); else s.bind("disk", q.diskBytes());
        return s;
    }

    private static Project project(ResultSet rs) throws SQLException {
        return new Project(rs.getString("name"), new Quota(nullableInt(rs, "quota_vcpus"), nullableLong(rs, "quota_memory_bytes"),
                nullableInt(rs, "quota_vms"), nullableLong(rs, "quota_disk_bytes")));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    // --- audit
    static void appendAudit(Handle h, AuditEntry e) {
        h.createUpdate("INSERT INTO audit (at, actor, role, method, path, status) VALUES (:at, :actor, :role, :method, :path, :status)")
                .bind("at", TaskTable.utc(e.at())).bind("actor", e.actor()).bind("role", e.role()).bind("method", e.method())
                .bind("path", e.path()).bind("status", e.status()).execute();
    }

    /** Deletes the oldest entries older than {@code cutoff} or beyond the newest {@code keep}, at most {@code batch}. */
    static int pruneAudit(Handle h, java.time.Instant cutoff, long keep, int batch) {
        Long keepFrom = h.createQuery("SELECT seq FROM audit ORDER BY seq DESC LIMIT 1 OFFSET :keep")
                .bind("keep", Math.max(0, keep)).mapTo(Long.class).findOne().orElse(null);
        List<Long> seqs = h.createQuery("SELECT seq FROM audit WHERE at < :cutoff OR seq <= :keepFrom ORDER BY seq LIMIT :batch")
                .bind("cutoff", TaskTable.utc(cutoff)).bind("keepFrom", keepFrom == null ? -1L : keepFrom)
                .bind("batch", Math.max(1, batch)).mapTo(Long.class).list();
        if (seqs.isEmpty()) return 0;
        return h.createUpdate("DELETE FROM audit WHERE seq IN (<seqs>)").bindList("seqs", seqs).execute();
    }

    /** Entries with {@code seq > after}, oldest first, of {@code actor} only unless null. */
    static List<AuditEntry> audit(Handle h, long after, String actor, int limit) {
        var q = h.createQuery("SELECT * FROM audit WHERE seq > :after" + (actor == null ? "" : " AND actor = :actor")
                + " ORDER BY seq LIMIT :limit").bind("after", after).bind("limit", limit);
        if (actor != null) q.bind("actor", actor);
        return q.map(IdentityTables::auditEntry).list();
    }

    /** The newest {@code limit} entries, oldest first: read newest first (the primary key's index backwards), then reversed. */
    static List<AuditEntry> auditNewest(Handle h, String actor, int limit) {
        var q = h.createQuery("SELECT * FROM audit" + (actor == null ? "" : " WHERE actor = :actor") + " ORDER BY seq DESC LIMIT :limit")
                .bind("limit", limit);
        if (actor != null) q.bind("actor", actor);
        return q.map(IdentityTables::auditEntry).list().reversed();
    }

    private static AuditEntry auditEntry(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return new AuditEntry(rs.getLong("seq"), TaskTable.instant(rs, "at"), rs.getString("actor"),
                rs.getString("role"), rs.getString("method"), rs.getString("path"), rs.getInt("status"));
    }
}
