package io.polyvisor.sim;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.PowerState;
import io.polyvisor.spi.Storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link Storage} on one simulated host ({@link SimPool}); every call goes through {@link SimDatacenter#call} as
 * {@link Operation#STORAGE}, so latency and failures can be injected. Copying an image in takes its size over the data
 * centre's migration bandwidth on the simulation clock. A revert to a snapshot taken while running leaves the VM
 * running; one taken while stopped leaves it stopped.
 */
final class SimStorage implements Storage {
    private final SimConnection conn;
    private final SimDatacenter dc;
    private final SimHost host;
    /** The pool this view works on: the host's own, or a shared one it declared. */
    private final java.util.function.Function<SimHost, SimPool> poolOf;

    SimStorage(SimConnection conn) {
        this(conn, SimHost::pool);
    }

    private SimStorage(SimConnection conn, java.util.function.Function<SimHost, SimPool> poolOf) {
        this.conn = conn;
        this.dc = conn.dc;
        this.host = conn.host;
        this.poolOf = poolOf;
    }

    private <T> T call(java.util.function.Function<SimPool, T> action) {
        conn.requireOpen();
        return dc.call(host, Operation.STORAGE, () -> action.apply(poolOf.apply(host)));
    }

    /** {@link #call} for an action that changes durable state: the data centre's state is written after it. */
    private <T> T change(java.util.function.Function<SimPool, T> action) {
        return call(p -> {
            T out = action.apply(p);
            dc.changed();
            return out;
        });
    }

    /**
     * Shared pool {@code pool}: the data centre's one object of that name, which this host mounts on the view's first
     * call (like a libvirt pool defined on first use); a second path for one name is refused.
     */
    @Override
    public Storage shared(String pool, String path) {
        io.polyvisor.disk.StorageNames.pool(pool);
        return new SimStorage(conn, h -> h.mount(dc.sharedPool(pool, path)));
    }

    @Override
    public PoolInfo pool() {
        return call(SimPool::info);
    }

    @Override
    public List<VolumeInfo> volumes() {
        return call(p -> List.copyOf(p.volumes.values()));
    }

    @Override
    public Optional<VolumeInfo> volume(String name) {
        return call(p -> Optional.ofNullable(p.volumes.get(name)));
    }

    @Override
    public VolumeInfo createVolume(String name, long sizeBytes, String image) {
        return change(p -> p.create(name, sizeBytes, image));
    }

    @Override
    public VolumeInfo copyVolume(String source, String name) {
        return change(p -> {
            var existing = p.volumes.get(name);
            if (existing != null) return existing;
            var src = p.volumes.get(source);
            if (src == null) throw new DriverException("volume " + source + " does not exist in " + p.where);
            return p.create(name, src.capacityBytes(), null);
        });
    }

    /** The image takes the volume's whole size from the pool (thick, like every simulated volume). */
    @Override
    public void imageFromVolume(String volume, String image) {
        change(p -> {
            if (p.images.containsKey(image)) return null;
            var src = p.volumes.get(volume);
            if (src == null) throw new DriverException("volume " + volume + " does not exist in " + p.where);
            p.requireRoom(src.capacityBytes(), "image " + image);
            p.images.put(image, src.capacityBytes());
            return null;
        });
    }

    @Override
    public VolumeInfo resizeVolume(String name, long sizeBytes) {
        return change(p -> p.resize(name, sizeBytes));
    }

    @Override
    public void deleteVolume(String name) {
        change(p -> p.volumes.remove(name));
    }

    @Override
    public boolean hasImage(String image) {
        return call(p -> p.images.containsKey(image));
    }

    /** The file must exist; its size is what the pool keeps (and what the copy time is computed from). */
    @Override
    public void putImage(String image, String format, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DriverException("cannot read image file " + file + ": " + e.getMessage());
        }
        boolean present = call(p -> {
            if (p.images.containsKey(image)) return true;
            p.requireRoom(size, "image " + image);
            return false;
        });
        if (present) return;
        long bandwidth = dc.settings().migrationBytesPerSecond();
        if (bandwidth > 0) dc.clock().sleep(java.time.Duration.ofMillis(size * 1000 / bandwidth));
        change(p -> p.images.putIfAbsent(image, size));
    }

    @Override
    public void deleteImage(String image) {
        change(p -> {
            p.deleteImage(image);
            return null;
        });
    }

    @Override
    public List<String> disks(UUID vm) {
        return call(p -> {
            var v = host.require(vm);
            return v.volumes == null ? List.<String>of() : List.of(v.volumes);
        });
    }

    @Override
    public void attachDisk(UUID vm, String volume, String bus) {
        change(p -> {
            var v = host.require(vm);
            var now = v.volumes == null ? new ArrayList<String>() : new ArrayList<>(List.of(v.volumes));
            if (now.contains(volume)) return null;
            if (!p.volumes.containsKey(volume)) throw new DriverException("volume " + volume + " does not exist in " + p.where);
            now.add(volume);
            v.volumes = now.toArray(String[]::new);
            if (!p.name.equals("polyvisor")) v.shared.put(volume, p.name);
            return null;
        });
    }

    @Override
    public void detachDisk(UUID vm, String volume) {
        change(p -> {
            var v = host.require(vm);
            if (v.volumes == null) return null;
            var now = new ArrayList<>(List.of(v.volumes));
            now.remove(volume);
            v.shared.remove(volume);
            v.volumes = now.isEmpty() ? null : now.toArray(String[]::new);
            return null;
        });
    }

    @Override
    public List<SnapshotInfo> snapshots(UUID vm) {
        return call(p -> {
            host.require(vm);
            return p.snapshotsOf(vm);
        });
    }

    @Override
    public SnapshotInfo createSnapshot(UUID vm, String name) {
        return change(p -> {
            var v = host.require(vm);
            if (v.volumes == null) throw new DriverException("vm " + v.name + " has no disks to snapshot");
            var list = p.snapshots.computeIfAbsent(vm, k -> new ArrayList<>());
            for (var s : list) if (s.name().equals(name)) return s;
            var s = new SnapshotInfo(name, dc.clock().now().getEpochSecond(), v.live());
            list.add(s);
            return s;
        });
    }

    @Override
    public void revertSnapshot(UUID vm, String name) {
        change(p -> {
            var v = host.require(vm);
            var s = p.snapshotsOf(vm).stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new DriverException("vm " + v.name + " has no snapshot " + name));
            if (s.running() && v.state == PowerState.SHUTOFF) host.start(vm);
            else if (!s.running() && v.live()) host.setState(v, PowerState.SHUTOFF, "reverted");
            return null;
        });
    }

    @Override
    public void deleteSnapshot(UUID vm, String name) {
        change(p -> {
            host.require(vm);
            var list = p.snapshots.get(vm);
            if (list != null) list.removeIf(s -> s.name().equals(name));
            return null;
        });
    }
}
