package io.polyvisor.store;

import io.polyvisor.disk.Template;
import io.polyvisor.model.VmSpec;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Rows of {@code templates} (docs/STORAGE.md); a template's disk is the {@code images} row of the same name. */
final class TemplateTable {
    private TemplateTable() {}

    static void insert(Tx tx, Template t) {
        VmSpec spec = t.spec();
        tx.guarded(() -> VmTable.BootColumns.bind(tx.handle.createUpdate("""
                INSERT INTO templates (name, host, source, vcpus, memory_bytes, boot_type, boot_kernel, boot_initrd, boot_cmdline,
                    boot_image, nics, expose_ports, display)
                VALUES (:name, :host, :source, :vcpus, :memory, :boot_type, :boot_kernel, :boot_initrd, :boot_cmdline,
                    :boot_image, :nics, :expose, :display)""")
                .bind("name", t.name()).bind("host", t.host()).bind("source", t.source()).bind("vcpus", spec.vcpus())
                .bind("memory", spec.memoryBytes()).bind("nics", Json.nics(spec.nics())).bind("expose", Json.ints(spec.exposePorts()))
                .bind("display", spec.display().label()),
                spec.boot()).execute(), () -> new Store.Conflict("a template named " + t.name() + " already exists"));
    }

    static void delete(Handle h, String name) {
        h.createUpdate("DELETE FROM templates WHERE name = :name").bind("name", name).execute();
    }

    static Optional<Template> byName(Handle h, String name) {
        return h.createQuery("SELECT * FROM templates WHERE name = :name").bind("name", name).map((rs, ctx) -> read(rs)).findOne();
    }

    static List<Template> all(Handle h) {
        return h.createQuery("SELECT * FROM templates ORDER BY name").map((rs, ctx) -> read(rs)).list();
    }

    private static Template read(ResultSet rs) throws SQLException {
        var spec = new VmSpec(rs.getInt("vcpus"), rs.getLong("memory_bytes"), VmTable.BootColumns.read(rs),
                Json.nics(rs.getString("nics")), Json.ints(rs.getString("expose_ports")), List.of(),
                io.polyvisor.model.Display.parse(rs.getString("display")));
        return new Template(rs.getString("name"), rs.getString("host"), rs.getString("source"), spec);
    }
}
