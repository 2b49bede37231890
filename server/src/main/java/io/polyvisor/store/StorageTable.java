package io.polyvisor.store;

import io.polyvisor.disk.Image;
import io.polyvisor.disk.ImageFormat;
import io.polyvisor.disk.SharedPool;
import io.polyvisor.disk.Volume;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** Rows of {@code images}, {@code volumes}, {@code pools} and {@code pool_hosts} (docs/STORAGE.md). */
final class StorageTable {
    private StorageTable() {}

    static void insertImage(Tx tx, Image i) {
        tx.guarded(() -> tx.handle.createUpdate("""
                INSERT INTO images (name, format, virtual_size, file_size, host) VALUES (:name, :format, :virtual, :file, :host)""")
                .bind("name", i.name()).bind("format", i.format().label()).bind("virtual", i.virtualSize()).bind("file", i.fileSize())
                .bind("host", i.host())
                .execute(), () -> new Store.Conflict("an image named " + i.name() + " already exists"));
    }

    static void deleteImage(Handle h, String name) {
        h.createUpdate("DELETE FROM images WHERE name = :name").bind("name", name).execute();
    }

    static Optional<Image> image(Handle h, String name) {
        return h.createQuery("SELECT * FROM images WHERE name = :name").bind("name", name).map((rs, ctx) -> image(rs)).findOne();
    }

    static List<Image> images(Handle h) {
        return h.createQuery("SELECT * FROM images ORDER BY name").map((rs, ctx) -> image(rs)).list();
    }

    static void insertVolume(Tx tx, Volume v) {
        tx.guarded(() -> bind(tx.handle.createUpdate("""
                INSERT INTO volumes (name, host, size_bytes, image, vm_id, delete_with_vm, pool)
                VALUES (:name, :host, :size, :image, :vm, :delete_with_vm, :pool)"""), v).execute(),
                () -> new Store.Conflict("a volume named " + v.name() + " already exists"));
    }

    static void updateVolume(Tx tx, Volume v) {
        int rows = bind(tx.handle.createUpdate("""
                UPDATE volumes SET host = :host, size_bytes = :size, image = :image, vm_id = :vm, delete_with_vm = :delete_with_vm
                WHERE name = :name"""), v).execute();
        if (rows == 0) throw new NoSuchElementException("volume " + v.name() + " not found");
    }

    static void deleteVolume(Handle h, String name) {
        h.createUpdate("DELETE FROM volumes WHERE name = :name").bind("name", name).execute();
    }

    static Optional<Volume> volume(Handle h, String name) {
        return h.createQuery("SELECT * FROM volumes WHERE name = :name").bind("name", name).map((rs, ctx) -> volume(rs)).findOne();
    }

    static List<Volume> volumes(Handle h) {
        return h.createQuery("SELECT * FROM volumes ORDER BY name").map((rs, ctx) -> volume(rs)).list();
    }

    /**
     * The sizes of the volumes {@code project} owns, added up: a volume with no owner row belongs to project default
     * (made before projects owned volumes).
     */
    static long projectDiskBytes(Handle h, String project) {
        return h.createQuery("""
                SELECT COALESCE(SUM(v.size_bytes), 0) FROM volumes v
                LEFT JOIN owners o ON o.kind = :kind AND o.name = v.name
                WHERE COALESCE(o.project, :default) = :p""")
                .bind("kind", io.polyvisor.access.Owned.VOLUME.label()).bind("default", io.polyvisor.model.Vm.DEFAULT_PROJECT)
                .bind("p", project).mapTo(Long.class).one();
    }

    static void insertPool(Tx tx, SharedPool p) {
        tx.guarded(() -> tx.handle.createUpdate("INSERT INTO pools (name, path) VALUES (:name, :path)")
                .bind("name", p.name()).bind("path", p.path()).execute(), () -> new Store.Conflict("a pool named " + p.name() + " already exists"));
        setPoolHosts(tx.handle, p);
    }

    /** Replaces the hosts that declare {@code p}. */
    static void setPoolHosts(Handle h, SharedPool p) {
        h.createUpdate("DELETE FROM pool_hosts WHERE pool = :pool").bind("pool", p.name()).execute();
        var batch = h.prepareBatch("INSERT INTO pool_hosts (pool, host) VALUES (:pool, :host)");
        for (String host : p.hosts()) batch.bind("pool", p.name()).bind("host", host).add();
        batch.execute();
    }

    static void deletePool(Handle h, String name) {
        h.createUpdate("DELETE FROM pool_hosts WHERE pool = :pool").bind("pool", name).execute();
        h.createUpdate("DELETE FROM pools WHERE name = :name").bind("name", name).execute();
    }

    static List<SharedPool> pools(Handle h) {
        var hosts = new java.util.HashMap<String, List<String>>();
        h.createQuery("SELECT pool, host FROM pool_hosts ORDER BY pool, host")
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("pool"), rs.getString("host")))
                .forEach(e -> hosts.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        return h.createQuery("SELECT name, path FROM pools ORDER BY name")
                .map((rs, ctx) -> new SharedPool(rs.getString("name"), rs.getString("path"), hosts.getOrDefault(rs.getString("name"), List.of())))
                .list();
    }

    /** The shared pools each host declares, by host. */
    static java.util.Map<String, List<String>> poolsByHost(Handle h) {
        var out = new java.util.HashMap<String, List<String>>();
        h.createQuery("SELECT pool, host FROM pool_hosts ORDER BY host, pool")
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("host"), rs.getString("pool")))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        return out;
    }

    private static <S extends SqlStatement<S>> S bind(S s, Volume v) {
        // a null UUID must be bound typed: PostgreSQL refuses an untyped null for a uuid column
        if (v.vm() == null) s.bindNull("vm", java.sql.Types.OTHER);
        else s.bind("vm", v.vm());
        return s.bind("name", v.name()).bind("host", v.host()).bind("size", v.sizeBytes()).bind("image", v.image())
                .bind("delete_with_vm", v.deleteWithVm()).bind("pool", v.pool());
    }

    private static Image image(ResultSet rs) throws SQLException {
        return new Image(rs.getString("name"), ImageFormat.valueOf(rs.getString("format").toUpperCase(Locale.ROOT)),
                rs.getLong("virtual_size"), rs.getLong("file_size"), rs.getString("host"));
    }

    private static Volume volume(ResultSet rs) throws SQLException {
        String vm = rs.getString("vm_id");
        return new Volume(rs.getString("name"), rs.getString("host"), rs.getLong("size_bytes"), rs.getString("image"),
                vm == null ? null : UUID.fromString(vm), rs.getBoolean("delete_with_vm"), rs.getString("pool"));
    }
}
