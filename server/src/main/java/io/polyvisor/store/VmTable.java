package io.polyvisor.store;

import io.polyvisor.model.Boot;
import io.polyvisor.model.Display;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of {@code vms}. The {@code version} column counts writes; {@code live_name} enforces name uniqueness; {@code project}
 * is written on insert only (a VM never changes project).
 */
final class VmTable {
    private VmTable() {}

    static void insert(Tx tx, Vm vm, Instant now) {
        tx.guarded(() -> bind(tx.handle.createUpdate("""
                INSERT INTO vms (id, name, live_name, vcpus, memory_bytes, boot_type, boot_kernel, boot_initrd,
                    boot_cmdline, boot_image, nics, expose_ports, disks, display, labels, protection, priority, intent, state,
                    state_detail, host, project, created, updated, version)
                VALUES (:id, :name, :live_name, :vcpus, :memory, :boot_type, :boot_kernel, :boot_initrd,
                    :boot_cmdline, :boot_image, :nics, :expose, :disks, :display, :labels, :protection, :priority, :intent, :state,
                    :state_detail, :host, :project, :now, :now, 1)"""), vm, now).bind("project", vm.project()).execute(),
                () -> conflict(tx.handle, vm));
    }

    static void update(Tx tx, Vm vm, Instant now) {
        int[] rows = new int[1];
        tx.guarded(() -> rows[0] = bind(tx.handle.createUpdate("""
                UPDATE vms SET name = :name, live_name = :live_name, vcpus = :vcpus, memory_bytes = :memory,
                    boot_type = :boot_type, boot_kernel = :boot_kernel, boot_initrd = :boot_initrd,
                    boot_cmdline = :boot_cmdline, boot_image = :boot_image, nics = :nics, expose_ports = :expose, disks = :disks,
                    display = :display,
                    labels = :labels, protection = :protection, priority = :priority, intent = :intent,
                    state = :state, state_detail = :state_detail, host = :host, updated = :now,
                    version = version + 1
                WHERE id = :id"""), vm, now).execute(),
                () -> conflict(tx.handle, vm));
        if (rows[0] == 0) throw new NoSuchElementException("VM " + vm.id() + " not found");
    }

    static void delete(Handle h, UUID id) {
        h.createUpdate("DELETE FROM vms WHERE id = :id").bind("id", id).execute();
    }

    static Optional<Vm> byId(Handle h, UUID id) {
        return h.createQuery("SELECT * FROM vms WHERE id = :id").bind("id", id).map((rs, ctx) -> read(rs)).findOne();
    }

    /** The row, locked against other writers until this transaction ends. */
    static Optional<Vm> byIdForUpdate(Handle h, UUID id) {
        return h.createQuery("SELECT * FROM vms WHERE id = :id FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    /** The VM not deleted with this name, else the most recently updated deleted one. */
    static Optional<Vm> byName(Handle h, String name) {
        return h.createQuery("""
                SELECT * FROM vms WHERE name = :name
                ORDER BY CASE WHEN live_name IS NULL THEN 1 ELSE 0 END, updated DESC""")
                .bind("name", name).map((rs, ctx) -> read(rs)).list().stream().findFirst();
    }

    static List<Vm> all(Handle h, VmRowCache cache) {
        return cache.list(h, "", Map.of());
    }

    static List<Vm> live(Handle h, VmRowCache cache) {
        return cache.list(h, "WHERE live_name IS NOT NULL", Map.of());
    }

    static List<Vm> onHost(Handle h, VmRowCache cache, String host) {
        return cache.list(h, "WHERE host = :host", Map.of("host", host));
    }

    /** What the VMs of {@code project} not deleted hold; inside a transaction that locked the project, exact. */
    static io.polyvisor.access.Quota.Usage usage(Handle h, String project) {
        return h.createQuery("""
                SELECT COALESCE(SUM(vcpus), 0) AS c, COALESCE(SUM(memory_bytes), 0) AS m, COUNT(*) AS n FROM vms
                WHERE project = :p AND live_name IS NOT NULL""").bind("p", project)
                .map((rs, ctx) -> new io.polyvisor.access.Quota.Usage(rs.getLong("c"), rs.getLong("m"), rs.getLong("n"))).one();
    }

    private static Store.Conflict conflict(Handle h, Vm vm) {
        boolean sameId = h.createQuery("SELECT COUNT(*) FROM vms WHERE id = :id").bind("id", vm.id())
                .mapTo(Integer.class).one() > 0;
        boolean sameName = h.createQuery("SELECT COUNT(*) FROM vms WHERE live_name = :name AND id <> :id")
                .bind("name", vm.name()).bind("id", vm.id()).mapTo(Integer.class).one() > 0;
        if (sameName || !sameId) return new Store.Conflict("a VM named " + vm.name() + " already exists");
        return new Store.Conflict("a VM with id " + vm.id() + " already exists");
    }

    private static <S extends SqlStatement<S>> S bind(S s, Vm vm, Instant now) {
        VmSpec spec = vm.spec();
        s.bind("id", vm.id())
                .bind("name", vm.name())
                .bind("live_name", vm.state() instanceof VmState.Deleted ? null : vm.name())
                .bind("vcpus", spec.vcpus())
                .bind("memory", spec.memoryBytes())
                .bind("nics", Json.nics(spec.nics()))
                .bind("expose", Json.ints(spec.exposePorts()))
                .bind("disks", Json.disks(spec.disks()))
                .bind("display", spec.display().label())
                .bind("labels", Json.strings(vm.labels()))
                .bind("protection", vm.protection().label())
                .bind("priority", vm.priority().level())
                .bind("intent", vm.intent().label())
                .bind("state", vm.state().label())
                .bind("state_detail", vm.state().detail())
                .bind("host", vm.host())
                .bind("now", now.atOffset(ZoneOffset.UTC));
        return BootColumns.bind(s, spec.boot());
    }

    static Vm read(ResultSet rs) throws SQLException {
        var spec = new VmSpec(rs.getInt("vcpus"), rs.getLong("memory_bytes"), BootColumns.read(rs),
                Json.nics(rs.getString("nics")), Json.ints(rs.getString("expose_ports")), Json.disks(rs.getString("disks")),
                Display.parse(rs.getString("display")));
        return new Vm(rs.getObject("id", UUID.class), rs.getString("name"), spec, Json.strings(rs.getString("labels")),
                Protection.parse(rs.getString("protection")), new Priority(rs.getInt("priority")),
                PowerIntent.valueOf(rs.getString("intent").toUpperCase(Locale.ROOT)),
                VmState.parse(rs.getString("state"), rs.getString("state_detail")), rs.getString("host"), rs.getString("project"));
    }

    /** The {@code boot_*} columns: a type label and the paths of that type, the others null. */
    static final class BootColumns {
        static <S extends SqlStatement<S>> S bind(S s, Boot boot) {
            String type = null, kernel = null, initrd = null, cmdline = null, image = null;
            switch (boot) {
                case Boot.None n -> type = "none";
                case Boot.Kernel k -> {
                    type = "kernel";
                    kernel = k.kernel();
                    initrd = k.initrd();
                    cmdline = k.cmdline();
                }
                case Boot.Disk d -> {
                    type = "disk";
                    image = d.image();
                }
            }
            return s.bind("boot_type", type).bind("boot_kernel", kernel).bind("boot_initrd", initrd)
                    .bind("boot_cmdline", cmdline).bind("boot_image", image);
        }

        static Boot read(ResultSet rs) throws SQLException {
            String type = rs.getString("boot_type");
            return switch (type) {
                case "none" -> Boot.none();
                case "kernel" -> new Boot.Kernel(rs.getString("boot_kernel"), rs.getString("boot_initrd"),
                        rs.getString("boot_cmdline"));
                case "disk" -> new Boot.Disk(rs.getString("boot_image"));
                default -> throw new IllegalStateException("unknown boot_type in vms: " + type);
            };
        }
    }
}
