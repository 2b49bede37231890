package io.polyvisor.store;

import io.polyvisor.autoscale.Group;
import io.polyvisor.autoscale.ScalingRules;
import io.polyvisor.autoscale.Target;
import io.polyvisor.model.VmSpec;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Rows of {@code vm_groups} and {@code group_decisions}. */
final class GroupTable {
    /** Decisions kept per group; older ones are deleted as new ones arrive. */
    static final int DECISIONS_KEPT = 100;

    private GroupTable() {}

    static void insert(Tx tx, Group g) {
        tx.guarded(() -> bind(tx.handle.createUpdate("""
                INSERT INTO vm_groups (name, vcpus, memory_bytes, boot_type, boot_kernel, boot_initrd, boot_cmdline, boot_image,
                    guest_port, listen_port, min_members, max_members, desired, target, scale_out_window_ms, scale_in_window_ms,
                    step_out, step_in, tolerance, next_member, deleting, warm_members, health_path)
                VALUES (:name, :vcpus, :memory, :boot_type, :boot_kernel, :boot_initrd, :boot_cmdline, :boot_image,
                    :port, :listen, :min, :max, :desired, :target, :out_ms, :in_ms, :step_out, :step_in, :tolerance, :next, :deleting, :warm, :health_path)"""),
                g).execute(), () -> conflict(tx.handle, g));
    }

    static void update(Tx tx, Group g) {
        int[] rows = new int[1];
        tx.guarded(() -> rows[0] = bind(tx.handle.createUpdate("""
                UPDATE vm_groups SET vcpus = :vcpus, memory_bytes = :memory, boot_type = :boot_type, boot_kernel = :boot_kernel,
                    boot_initrd = :boot_initrd, boot_cmdline = :boot_cmdline, boot_image = :boot_image, guest_port = :port,
                    listen_port = :listen, min_members = :min, max_members = :max, desired = :desired, target = :target,
                    scale_out_window_ms = :out_ms, scale_in_window_ms = :in_ms, step_out = :step_out, step_in = :step_in, warm_members = :warm, health_path = :health_path,
                    tolerance = :tolerance, next_member = :next, deleting = :deleting
                WHERE name = :name"""), g).execute(), () -> conflict(tx.handle, g));
        if (rows[0] == 0) throw new NoSuchElementException("group " + g.name() + " not found");
    }

    static void delete(Handle h, String name) {
        h.createUpdate("DELETE FROM group_decisions WHERE group_name = :name").bind("name", name).execute();
        h.createUpdate("DELETE FROM vm_groups WHERE name = :name").bind("name", name).execute();
    }

    static Optional<Group> byName(Handle h, String name) {
        return h.createQuery("SELECT * FROM vm_groups WHERE name = :name").bind("name", name).map((rs, ctx) -> read(rs)).findOne();
    }

    static List<Group> all(Handle h) {
        return h.createQuery("SELECT * FROM vm_groups ORDER BY name").map((rs, ctx) -> read(rs)).list();
    }

    static void appendDecision(Handle h, String group, Group.Decided d) {
        h.createUpdate("""
                INSERT INTO group_decisions (group_name, at, desired, launched, removed, reason)
                VALUES (:group, :at, :desired, :launched, :removed, :reason)""")
                .bind("group", group).bind("at", TaskTable.utc(d.at())).bind("desired", d.desired())
                .bind("launched", d.launched()).bind("removed", d.removed()).bind("reason", d.reason()).execute();
        // trim: keep the newest DECISIONS_KEPT
        Optional<Long> cut = h.createQuery("SELECT ord FROM group_decisions WHERE group_name = :group ORDER BY ord DESC"
                        + " OFFSET " + DECISIONS_KEPT + " ROWS FETCH NEXT 1 ROWS ONLY")
                .bind("group", group).mapTo(Long.class).findOne();
        cut.ifPresent(ord -> h.createUpdate("DELETE FROM group_decisions WHERE group_name = :group AND ord <= :ord")
                .bind("group", group).bind("ord", ord).execute());
    }

    static List<Group.Decided> decisions(Handle h, String group, int limit) {
        return h.createQuery("SELECT * FROM group_decisions WHERE group_name = :group ORDER BY ord DESC FETCH FIRST "
                        + Math.max(0, limit) + " ROWS ONLY")
                .bind("group", group)
                .map((rs, ctx) -> new Group.Decided(TaskTable.instant(rs, "at"), rs.getInt("desired"), rs.getInt("launched"),
                        rs.getInt("removed"), rs.getString("reason")))
                .list();
    }

    private static Store.Conflict conflict(Handle h, Group g) {
        var byPort = h.createQuery("SELECT name FROM vm_groups WHERE listen_port = :port AND name <> :name")
                .bind("port", g.listenPort()).bind("name", g.name()).mapTo(String.class).findOne();
        if (byPort.isPresent()) {
            return new Store.Conflict("port " + g.listenPort() + " is already the endpoint of group " + byPort.get());
        }
        return new Store.Conflict("a group named " + g.name() + " already exists");
    }

    private static <S extends SqlStatement<S>> S bind(S s, Group g) {
        ScalingRules r = g.rules();
        s.bind("name", g.name()).bind("vcpus", g.template().vcpus()).bind("memory", g.template().memoryBytes())
                .bind("port", g.port()).bind("listen", g.listenPort()).bind("min", r.min()).bind("max", r.max())
                .bind("desired", g.desired()).bind("target", r.target() == null ? null : r.target().text())
                .bind("out_ms", r.scaleOutWindow().toMillis()).bind("in_ms", r.scaleInWindow().toMillis())
                .bind("step_out", r.stepOut()).bind("step_in", r.stepIn()).bind("tolerance", r.tolerance()).bind("warm", r.warm())
                .bind("next", g.nextMember()).bind("deleting", g.deleting()).bind("health_path", g.healthPath());
        return VmTable.BootColumns.bind(s, g.template().boot());
    }

    private static Group read(ResultSet rs) throws SQLException {
        int port = rs.getInt("guest_port");
        var template = new VmSpec(rs.getInt("vcpus"), rs.getLong("memory_bytes"), VmTable.BootColumns.read(rs), null, List.of(port));
        String target = rs.getString("target");
        var rules = new ScalingRules(rs.getInt("min_members"), rs.getInt("max_members"), target == null ? null : Target.parse(target),
                Duration.ofMillis(rs.getLong("scale_out_window_ms")), Duration.ofMillis(rs.getLong("scale_in_window_ms")),
                rs.getInt("step_out"), rs.getInt("step_in"), rs.getDouble("tolerance"), rs.getInt("warm_members"));
        return new Group(rs.getString("name"), template, port, rs.getInt("listen_port"), rules, rs.getInt("desired"),
                rs.getLong("next_member"), rs.getBoolean("deleting"), rs.getString("health_path"));
    }
}
