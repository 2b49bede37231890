package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A simulated host's storage pool, or a shared pool every host that declares it sees as the same object: volumes are thick (a volume takes its whole size from the pool's capacity, and so
 * does each image copied in), so capacity is a hard limit, like memory. Guarded by the data centre's lock.
 */
final class SimPool {
    static final long DEFAULT_CAPACITY = Sizes.TiB;

    final String host;
    /** The pool's name: {@code polyvisor} for a host's own pool, else a shared pool's name. */
    final String name;
    /** Where it is, in messages: "the pool of sim host h1" or "shared pool nfs1". */
    final String where;
    final long capacityBytes;
    final Map<String, Storage.VolumeInfo> volumes = new LinkedHashMap<>();
    final Map<String, Long> images = new LinkedHashMap<>();
    final Map<UUID, List<Storage.SnapshotInfo>> snapshots = new HashMap<>();

    SimPool(String host, long capacityBytes) {
        this(host, "polyvisor", "the pool of sim host " + host, capacityBytes);
    }

    private SimPool(String host, String name, String where, long capacityBytes) {
        this.host = host;
        this.name = name;
        this.where = where;
        this.capacityBytes = capacityBytes;
    }

    /** Shared pool {@code name}: one object for every host that declares it (the data centre keeps it). */
    static SimPool shared(String name, String path, long capacityBytes) {
        return new SimPool(path, name, "shared pool " + name, capacityBytes);
    }

    long usedBytes() {
        long used = 0;
        for (var v : volumes.values()) used += v.capacityBytes();
        for (long i : images.values()) used += i;
        return used;
    }

    Storage.PoolInfo info() {
        return new Storage.PoolInfo(name, name.equals("polyvisor") ? "sim://" + host + "/pool" : host, capacityBytes, capacityBytes - usedBytes());
    }

    void requireRoom(long bytes, String what) {
        long free = capacityBytes - usedBytes();
        if (bytes > free) {
            throw new DriverException("not enough room in " + where + " for " + what + ": needs "
                    + Sizes.format(bytes) + ", " + Sizes.format(free) + " available");
        }
    }

    Storage.VolumeInfo create(String name, long size, String image) {
        var existing = volumes.get(name);
        if (existing != null) return existing;
        if (image != null) {
            Long base = images.get(image);
            if (base == null) throw new DriverException("image " + image + " is not in " + where);
        }
        requireRoom(size, "volume " + name);
        var v = new Storage.VolumeInfo(name, size, 0, image);
        volumes.put(name, v);
        return v;
    }

    Storage.VolumeInfo resize(String name, long size) {
        var v = volumes.get(name);
        if (v == null) throw new DriverException("volume " + name + " does not exist in " + where);
        if (size < v.capacityBytes()) throw new DriverException("volume " + name + " cannot shrink");
        requireRoom(size - v.capacityBytes(), "growing volume " + name);
        var next = new Storage.VolumeInfo(name, size, v.allocationBytes(), v.image());
        volumes.put(name, next);
        return next;
    }

    void deleteImage(String image) {
        for (var v : volumes.values()) {
            if (image.equals(v.image())) throw new DriverException("image " + image + " backs volume " + v.name() + " in " + where);
        }
        images.remove(image);
    }

    List<Storage.SnapshotInfo> snapshotsOf(UUID vm) {
        return new ArrayList<>(snapshots.getOrDefault(vm, List.of()));
    }
}
