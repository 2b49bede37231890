package io.polyvisor.store;

import io.polyvisor.model.Task;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of {@code tasks}. Ties between equal times are broken by insertion order ({@code ord}). {@code project} is copied
 * from the VM's row on insert (docs/SECURITY.md), never updated.
 */
final class TaskTable {
    private TaskTable() {}

    static void insert(Tx tx, Task task) {
        tx.guarded(() -> bind(tx.handle.createUpdate("""
                INSERT INTO tasks (id, kind, vm_id, target, status, attempts, error, created, updated, result, project)
                VALUES (:id, :kind, :vm_id, :target, :status, :attempts, :error, :created, :updated, :result,
                    (SELECT project FROM vms WHERE id = :vm_id))"""),
                task).execute(),
                () -> new Store.Conflict("a task with id " + task.id() + " already exists"));
    }

    static void update(Handle h, Task task) {
        int rows = bind(h.createUpdate("""
                UPDATE tasks SET kind = :kind, vm_id = :vm_id, target = :target, status = :status,
                    attempts = :attempts, error = :error, created = :created, updated = :updated, result = :result
                WHERE id = :id"""), task).execute();
        if (rows == 0) throw new NoSuchElementException("task " + task.id() + " not found");
    }

    /** The project of the task's VM when the task was written; empty for a task of no VM. */
    static Optional<String> project(Handle h, UUID id) {
        return h.createQuery("SELECT project FROM tasks WHERE id = :id").bind("id", id).mapTo(String.class).findOne();
    }

    static Optional<Task> byId(Handle h, UUID id) {
        return h.createQuery("SELECT * FROM tasks WHERE id = :id").bind("id", id).map((rs, ctx) -> read(rs)).findOne();
    }

    static List<Task> newestFirst(Handle h, UUID vm, Task.Status status, int limit) {
        List<String> where = new ArrayList<>();
        if (vm != null) where.add("vm_id = :vm");
        if (status != null) where.add("status = :status");
        String sql = "SELECT * FROM tasks" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY created DESC, ord DESC LIMIT :limit";
        var q = h.createQuery(sql).bind("limit", Math.max(0, limit));
        if (vm != null) q.bind("vm", vm);
        if (status != null) q.bind("status", label(status));
        return q.map((rs, ctx) -> read(rs)).list();
    }

    /**
     * Deletes finished tasks (succeeded, failed, cancelled) created before {@code cutoff}, and the oldest finished
     * beyond the newest {@code keep}; at most {@code batch}. Queued and running tasks are never touched.
     */
    static int pruneFinished(Handle h, Instant cutoff, int keep, int batch) {
        Long keepFrom = h.createQuery("SELECT ord FROM tasks WHERE status IN ('succeeded', 'failed', 'cancelled') "
                        + "ORDER BY ord DESC LIMIT 1 OFFSET :keep")
                .bind("keep", Math.max(0, keep)).mapTo(Long.class).findOne().orElse(null);
        List<Long> ords = h.createQuery("SELECT ord FROM tasks WHERE status IN ('succeeded', 'failed', 'cancelled') "
                        + "AND (created < :cutoff OR ord <= :keepFrom) ORDER BY ord LIMIT :batch")
                .bind("cutoff", utc(cutoff)).bind("keepFrom", keepFrom == null ? -1L : keepFrom).bind("batch", Math.max(1, batch))
                .mapTo(Long.class).list();
        if (ords.isEmpty()) return 0;
        return h.createUpdate("DELETE FROM tasks WHERE ord IN (<ords>) AND status IN ('succeeded', 'failed', 'cancelled')")
                .bindList("ords", ords).execute();
    }

    static List<Task> unfinished(Handle h) {
        return h.createQuery("SELECT * FROM tasks WHERE status IN ('queued', 'running') ORDER BY created, ord")
                .map((rs, ctx) -> read(rs)).list();
    }

    private static <S extends SqlStatement<S>> S bind(S s, Task t) {
        return s.bind("id", t.id())
                .bind("kind", t.kind().name().toLowerCase(Locale.ROOT))
                .bind("vm_id", nullableUuid(t.vmId()))
                .bind("target", t.target())
                .bind("status", label(t.status()))
                .bind("attempts", t.attempts())
                .bind("error", t.error())
                .bind("created", utc(t.created()))
                .bind("updated", utc(t.updated()))
                .bind("result", Json.strings(t.result()));
    }

    private static Task read(ResultSet rs) throws SQLException {
        return new Task(rs.getObject("id", UUID.class),
                Task.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                rs.getObject("vm_id", UUID.class),
                rs.getString("target"),
                Task.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                rs.getInt("attempts"),
                rs.getString("error"),
                instant(rs, "created"),
                instant(rs, "updated"),
                Json.strings(rs.getString("result")));
    }

    /**
     * JDBI binds a null UUID as a null VARCHAR, which PostgreSQL refuses for a uuid column; a null of
     * unspecified type is accepted by both databases.
     */
    private static Argument nullableUuid(UUID id) {
        return (position, statement, ctx) -> {
            if (id == null) statement.setNull(position, Types.NULL);
            else statement.setObject(position, id);
        };
    }

    private static String label(Task.Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
