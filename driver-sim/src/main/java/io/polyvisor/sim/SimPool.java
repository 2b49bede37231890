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
 * A simulated host's storage pool: volumes are thick (a volume takes its whole size from the pool's capacity, and so
 * does each image copied in), so capacity is a hard limit, like memory. Guarded by the data centre's lock.
 */
final class SimPool {
    static final long DEFAULT_CAPACITY = Sizes.TiB;

    final String host;
    final long capacityBytes;
    final Map<String, Storage.VolumeInfo> volumes = new LinkedHashMap<>();
    final Map<String, Long> images = new LinkedHashMap<>();
    final Map<UUID, List<Storage.SnapshotInfo>> snapshots = new HashMap<>();

    SimPool(String host, long capacityBytes) {
        this.host = host;
        this.capacityBytes = capacityBytes;
    }

    long usedBytes() {
        long used = 0;
        for (var v : volumes.values()) used += v.capacityBytes();
        for (long i : images.values()) used += i;
        return used;
    }

    Storage.PoolInfo info() {
        return new Storage.PoolInfo("polyvisor", "sim://" + host + "/pool", capacityBytes, capacityBytes - usedBytes());
    }

    void requireRoom(long bytes, String what) {
        long free = capacityBytes - usedBytes();
        if (bytes > free) {
            throw new DriverException("not enough room in the pool of sim host " + host + " for " + what + ": needs "
                    + Sizes.format(bytes) + ", " + Sizes.format(free) + " available");
        }
    }

    Storage.VolumeInfo create(String name, long size, String image) {
        var existing = volumes.get(name);
        if (existing != null) return existing;
        if (image != null) {
            Long base = images.get(image);
            if (base == null) throw new DriverException("image " + image + " is not in the pool of sim host " + host);
        }
        requireRoom(size, "volume " + name);
        var v = new Storage.VolumeInfo(name, size, 0, image);
        volumes.put(name, v);
        return v;
    }

    Storage.VolumeInfo resize(String name, long size) {
        var v = volumes.get(name);
        if (v == null) throw new DriverException("volume " + name + " does not exist in the pool of sim host " + host);
        if (size < v.capacityBytes()) throw new DriverException("volume " + name + " cannot shrink");
        requireRoom(size - v.capacityBytes(), "growing volume " + name);
        var next = new Storage.VolumeInfo(name, size, v.allocationBytes(), v.image());
        volumes.put(name, next);
        return next;
    }

    void deleteImage(String image) {
        for (var v : volumes.values()) {
            if (image.equals(v.image())) throw new DriverException("image " + image + " backs volume " + v.name() + " on sim host " + host);
        }
        images.remove(image);
    }

    List<Storage.SnapshotInfo> snapshotsOf(UUID vm) {
        return new ArrayList<>(snapshots.getOrDefault(vm, List.of()));
    }
}
