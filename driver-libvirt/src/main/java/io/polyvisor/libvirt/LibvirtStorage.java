package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Storage;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The host's storage through libvirt's storage API, so it works the same for a remote host: one {@code dir} pool named
 * {@value #POOL} at the host URI's {@code pool_dir}, defined, built, started and set to autostart on first use; a shared
 * pool ({@link #shared}) is another {@code dir} pool of its own name at the directory the operator declared, made the
 * same way, whose files other hosts see at the same path.
 * Files in it: volume {@code NAME} is {@code NAME.qcow2}, image {@code NAME} is {@code NAME.base.qcow2} or
 * {@code NAME.base.raw} (names have no dots, so the two never collide). Images are copied in with
 * {@code virStorageVolUpload} over the libvirt connection (a stream), for local and remote hosts alike. All XML is built
 * with the DOM ({@link Xml}); names are checked again here, so nothing can name a file outside the pool.
 * Snapshots are libvirt's internal snapshots (qcow2): with memory state when the VM runs, disks only when it is off.
 */
final class LibvirtStorage implements Storage {
    static final String POOL = io.polyvisor.disk.SharedPool.LOCAL;
    private static final int CHUNK = 1 << 20;
    private static final OverlaySeeds SEEDS = new OverlaySeeds();

    private final LibvirtConnection host;
    /** This view's pool: {@value #POOL} at the host URI's {@code pool_dir}, or a shared pool at its declared path. */
    private final String poolName;
    private final String poolDir;
    private final LibvirtSnapshots snapshots;
    private final LibvirtDisks disks;

    LibvirtStorage(LibvirtConnection host) {
        this(host, POOL, host.hostUri().poolDir());
    }

    private LibvirtStorage(LibvirtConnection host, String poolName, String poolDir) {
        this.host = host;
        this.poolName = poolName;
        this.poolDir = poolDir;
        this.snapshots = new LibvirtSnapshots(host);
        this.disks = new LibvirtDisks(host, this);
    }

    String poolName() {
        return poolName;
    }

    /**
     * Shared pool {@code pool}: a libvirt {@code dir} pool of that name at {@code path} on this host, made on first use
     * like the host's own. A pool of that name already defined at another path is refused, never redefined.
     */
    @Override
    public Storage shared(String pool, String path) {
        io.polyvisor.disk.StorageNames.pool(pool);
        if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) throw new DriverException("pool path must be absolute and normalised, got " + path);
        return new LibvirtStorage(host, pool, path);
    }

    /**
     * Whether volume {@code volume} is in pool {@code pool} (null: the host's own) as this host sees it. A shared pool
     * must have been declared on this host already (its libvirt pool defined): it is started if stopped, never made here.
     */
    boolean hasVolumeIn(String pool, String volume) {
        if (pool == null || pool.equals(poolName)) return hasVolume(volume);
        String file = volumeFile(volume);
        return host.call("look up volume " + volume + " in pool " + pool, () -> {
            StoragePool p;
            try {
                p = host.live().storagePoolLookupByName(pool);
            } catch (LibvirtException e) {
                if (Errors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)) {
                    throw new DriverException("storage pool " + pool + " is not defined on " + host.hostUri().libvirt()
                            + ": declare the shared pool on this host first");
                }
                throw e;
            }
            if (p.isActive() == 0) p.create(0);
            p.refresh(0);
            return lookup(p, file).isPresent();
        });
    }

    static String volumeFile(String volume) {
        return io.polyvisor.disk.StorageNames.volume(volume) + ".qcow2";
    }

    static String imageFile(String image, String format) {
        io.polyvisor.disk.StorageNames.image(image);
        if (!format.equals("qcow2") && !format.equals("raw")) throw new IllegalArgumentException("image format " + format);
        return image + ".base." + format;
    }

    @Override
    public PoolInfo pool() {
        return host.call("storage pool", () -> {
            var p = ensurePool();
            var i = p.getInfo();
            var path = Xml.first(Xml.parse(p.getXMLDesc(0)), "path");
            return new PoolInfo(poolName, path, i.capacity, i.available);
        });
    }

    /** The pool, made (defined, built, autostarted) when absent, and built and started when stopped. */
    private StoragePool ensurePool() throws LibvirtException {
        var c = host.live();
        StoragePool p;
        try {
            p = c.storagePoolLookupByName(poolName);
            if (!poolName.equals(POOL)) {
                var at = Xml.first(Xml.parse(p.getXMLDesc(0)), "path");
                if (at != null && !at.equals(poolDir)) {
                    throw new DriverException("storage pool " + poolName + " on " + host.hostUri().libvirt() + " is at " + at
                            + ", not at " + poolDir);
                }
            }
        } catch (LibvirtException e) {
            if (!Errors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)) throw e;
            var pool = Xml.root("pool");
            pool.setAttribute("type", "dir");
            Xml.text(pool, "name", poolName);
            var target = Xml.child(pool, "target");
            Xml.text(target, "path", poolDir);
            var perms = Xml.child(target, "permissions");
            Xml.text(perms, "mode", "0711");
            p = c.storagePoolDefineXML(Xml.serialize(pool), 0);
            p.build(0);
            p.setAutostart(1);
        }
        if (p.isActive() == 0) {
            // a pool defined but never built here (a configuration copied from another host): make its folder first
            p.build(0);
            p.create(0);
        }
        return p;
    }

    @Override
    public List<VolumeInfo> volumes() {
        return host.call("list volumes", () -> {
            var p = ensurePool();
            p.refresh(0);
            var out = new ArrayList<VolumeInfo>();
            for (String file : p.listVolumes()) {
                if (!file.endsWith(".qcow2") || file.contains(".base.")) continue;
                find(p, file).ifPresent(v -> out.add(v));
            }
            return out;
        });
    }

    @Override
    public Optional<VolumeInfo> volume(String name) {
        return host.call("look up volume " + name, () -> find(ensurePool(), volumeFile(name)));
    }

    /** Whether the pool has volume {@code name}: a lookup only (no description read, no refresh). */
    boolean hasVolume(String name) {
        String file = volumeFile(name);
        return host.call("look up volume " + name, () -> lookup(ensurePool(), file).isPresent());
    }

    private Optional<VolumeInfo> find(StoragePool p, String file) throws LibvirtException {
        var vol = lookup(p, file);
        if (vol.isEmpty()) return Optional.empty();
        var v = vol.get();
        var xml = Xml.parse(v.getXMLDesc(0));
        if (!"qcow2".equals(format(xml))) {
            // made moments ago as an upload target (createVolume), not yet read again by libvirt: refresh and look again
            p.refresh(0);
            var again = lookup(p, file);
            if (again.isEmpty()) return Optional.empty();
            v = again.get();
            xml = Xml.parse(v.getXMLDesc(0));
        }
        var info = v.getInfo();
        var backing = xml.getElementsByTagName("backingStore");
        String image = null;
        if (backing.getLength() > 0) {
            var path = Xml.first((org.w3c.dom.Element) backing.item(0), "path");
            if (path != null) {
                var base = Path.of(path).getFileName().toString();
                int dot = base.indexOf(".base.");
                image = dot > 0 ? base.substring(0, dot) : base;
            }
        }
        return Optional.of(new VolumeInfo(file.substring(0, file.length() - ".qcow2".length()), info.capacity, info.allocation, image));
    }

    /** The volume's format as libvirt last read it ({@code <target><format type=.../>}). */
    private static String format(org.w3c.dom.Element volumeXml) {
        var targets = volumeXml.getElementsByTagName("target");
        if (targets.getLength() == 0) return null;
        var formats = ((org.w3c.dom.Element) targets.item(0)).getElementsByTagName("format");
        return formats.getLength() == 0 ? null : ((org.w3c.dom.Element) formats.item(0)).getAttribute("type");
    }

    /**
     * The volume of that file name. In a shared pool another host may have made it since this host's libvirt last read
     * the folder: a miss there refreshes the pool and looks again.
     */
    private Optional<StorageVol> lookup(StoragePool p, String file) throws LibvirtException {
        var found = lookupOnce(p, file);
        if (found.isPresent() || poolName.equals(POOL)) return found;
        p.refresh(0);
        return lookupOnce(p, file);
    }

    private static Optional<StorageVol> lookupOnce(StoragePool p, String file) throws LibvirtException {
        try {
            return Optional.of(p.storageVolLookupByName(file));
        } catch (LibvirtException e) {
            if (Errors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) return Optional.empty();
            throw e;
        }
    }

    @Override
    public VolumeInfo createVolume(String name, long sizeBytes, String image) {
        String file = volumeFile(name);
        return host.call("create volume " + name, () -> {
            var p = ensurePool();
            var existing = find(p, file);
            if (existing.isPresent()) return existing.get();
            Base base = null;
            if (image != null) {
                base = baseOf(p, image).orElseThrow(() -> new DriverException("image " + image + " is not in the pool of "
                        + host.hostUri().libvirt()));
            }
            byte[] seed = SEEDS.of(new OverlaySeeds.Kind(sizeBytes, base == null ? null : base.path(), base == null ? null : base.format()));
            var v = p.storageVolCreateXML(Xml.serialize(volumeXml(file, seed.length, "raw", "0600")), 0);
            try {
                upload(v, new java.io.ByteArrayInputStream(seed), seed.length, "volume " + name);
            } catch (LibvirtException | RuntimeException e) {
                deleteQuietly(v);
                throw e;
            }
            // libvirt reads the uploaded header in a refresh of its own, later: what it will read is known here
            return new VolumeInfo(name, sizeBytes, seed.length, image);
        });
    }

    private static void deleteQuietly(StorageVol v) {
        try {
            v.delete(0);
        } catch (LibvirtException ignored) {
            // the next create of that name finds it and returns it; a partial one is what a retry replaces
        }
    }

    /** {@code virStorageVolCreateXMLFrom}: libvirt copies the source on the host (qemu-img convert for qcow2). */
    @Override
    public VolumeInfo copyVolume(String source, String name) {
        String file = volumeFile(name);
        String from = volumeFile(source);
        return host.call("copy volume " + source, () -> {
            var p = ensurePool();
            var existing = find(p, file);
            if (existing.isPresent()) return existing.get();
            var src = lookup(p, from).orElseThrow(() -> new DriverException("volume " + source + " does not exist on " + host.hostUri().libvirt()));
            p.storageVolCreateXMLFrom(Xml.serialize(volumeXml(file, src.getInfo().capacity, "qcow2", "0600")), src, 0);
            return find(p, file).orElseThrow(() -> new DriverException("volume " + name + " vanished after its copy"));
        });
    }

    /**
     * {@code virStorageVolCreateXMLFrom} into {@code IMAGE.base.qcow2}: libvirt's {@code qemu-img convert} writes a
     * self-contained qcow2 (the source's backing image flattened in), world-readable like every image in the pool.
     */
    @Override
    public void imageFromVolume(String volume, String image) {
        String file = imageFile(image, "qcow2");
        String from = volumeFile(volume);
        host.call("make image " + image + " from volume " + volume, () -> {
            var p = ensurePool();
            if (baseOf(p, image).isPresent()) return null;
            var src = lookup(p, from).orElseThrow(() -> new DriverException("volume " + volume + " does not exist on " + host.hostUri().libvirt()));
            p.storageVolCreateXMLFrom(Xml.serialize(volumeXml(file, src.getInfo().capacity, "qcow2", "0644")), src, 0);
            return null;
        });
    }

    /** {@code <volume>} of {@code file} in the pool: sparse (allocation 0), of {@code format}, with file mode {@code mode}. */
    private static org.w3c.dom.Element volumeXml(String file, long capacity, String format, String mode) {
        var vol = Xml.root("volume");
        Xml.text(vol, "name", file);
        Xml.text(vol, "capacity", Long.toString(capacity)).setAttribute("unit", "bytes");
        Xml.text(vol, "allocation", "0").setAttribute("unit", "bytes");
        var target = Xml.child(vol, "target");
        Xml.child(target, "format").setAttribute("type", format);
        Xml.text(Xml.child(target, "permissions"), "mode", mode);
        return vol;
    }

    private record Base(String path, String format) {}

    private Optional<Base> baseOf(StoragePool p, String image) throws LibvirtException {
        for (String format : List.of("qcow2", "raw")) {
            var v = lookup(p, imageFile(image, format));
            if (v.isPresent()) return Optional.of(new Base(v.get().getPath(), format));
        }
        return Optional.empty();
    }

    @Override
    public VolumeInfo resizeVolume(String name, long sizeBytes) {
        String file = volumeFile(name);
        return host.call("resize volume " + name, () -> {
            var p = ensurePool();
            var v = lookup(p, file).orElseThrow(() -> new DriverException("volume " + name + " does not exist on " + host.hostUri().libvirt()));
            if (sizeBytes < v.getInfo().capacity) throw new DriverException("volume " + name + " cannot shrink");
            v.resize(sizeBytes, 0);
            return find(p, file).orElseThrow();
        });
    }

    @Override
    public void deleteVolume(String name) {
        String file = volumeFile(name);
        host.call("delete volume " + name, () -> {
            var v = lookup(ensurePool(), file);
            if (v.isPresent()) v.get().delete(0);
            return null;
        });
    }

    @Override
    public boolean hasImage(String image) {
        return host.call("look up image " + image, () -> baseOf(ensurePool(), image).isPresent());
    }

    /**
     * Made as a volume of the file's length, then filled through an upload stream; a failed upload deletes the partial
     * volume so a retry starts clean.
     */
    @Override
    public void putImage(String image, String format, Path file) {
        String name = imageFile(image, format);
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            throw new DriverException("cannot read image file " + file + ": " + e.getMessage());
        }
        host.call("copy image " + image, () -> {
            var p = ensurePool();
            var existing = lookup(p, name);
            if (existing.isPresent()) {
                if (length == sizeOnHost(existing.get())) return null;
                existing.get().delete(0); // a partial copy from an interrupted upload
            }
            var vol = volumeXml(name, length, "raw", "0644");
            var v = p.storageVolCreateXML(Xml.serialize(vol), 0);
            try (InputStream in = Files.newInputStream(file)) {
                upload(v, in, length, "image file " + file);
            } catch (IOException e) {
                deleteQuietly(v);
                throw new DriverException("cannot read image file " + file + ": " + e.getMessage());
            } catch (LibvirtException | RuntimeException e) {
                deleteQuietly(v);
                throw e;
            }
            return null;
        });
    }

    /** The byte length of the file behind a pool volume (its physical size, whatever format libvirt probed). */
    private static long sizeOnHost(StorageVol v) throws LibvirtException {
        var physical = Xml.first(Xml.parse(v.getXMLDesc(0)), "physical");
        return physical != null ? Long.parseLong(physical) : v.getInfo().allocation;
    }

    /** Writes {@code length} bytes of {@code in} into the volume through an upload stream; {@code what} names the source. */
    private void upload(StorageVol v, InputStream in, long length, String what) throws LibvirtException {
        var stream = host.live().streamNew(0);
        boolean done = false;
        try {
            v.upload(stream, 0, length, 0);
            byte[] buf = new byte[CHUNK];
            long sent = 0;
            for (int n; sent < length && (n = in.read(buf, 0, (int) Math.min(buf.length, length - sent))) > 0; sent += n) {
                int off = 0;
                while (off < n) {
                    int w = stream.send(off == 0 && n == buf.length ? buf : java.util.Arrays.copyOfRange(buf, off, n));
                    if (w <= 0) throw new DriverException("libvirt stream refused data while copying " + what);
                    off += w;
                }
            }
            stream.finish();
            done = true;
        } catch (IOException e) {
            throw new DriverException("cannot read " + what + ": " + e.getMessage());
        } finally {
            if (!done) {
                try {
                    stream.abort();
                } catch (LibvirtException ignored) {
                    // already broken
                }
            }
        }
    }

    @Override
    public void deleteImage(String image) {
        host.call("delete image " + image, () -> {
            var p = ensurePool();
            for (String format : List.of("qcow2", "raw")) {
                var v = lookup(p, imageFile(image, format));
                if (v.isPresent()) v.get().delete(0);
            }
            return null;
        });
    }

    @Override
    public List<String> disks(UUID vm) {
        return disks.list(vm);
    }

    @Override
    public void attachDisk(UUID vm, String volume, String bus) {
        disks.attach(vm, volume, bus);
    }

    @Override
    public void detachDisk(UUID vm, String volume) {
        disks.detach(vm, volume);
    }

    @Override
    public List<SnapshotInfo> snapshots(UUID vm) {
        return snapshots.list(vm);
    }

    @Override
    public SnapshotInfo createSnapshot(UUID vm, String name) {
        return snapshots.create(vm, name);
    }

    @Override
    public void revertSnapshot(UUID vm, String name) {
        snapshots.revert(vm, name);
    }

    @Override
    public void deleteSnapshot(UUID vm, String name) {
        snapshots.delete(vm, name);
    }
}
