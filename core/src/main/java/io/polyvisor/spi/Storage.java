package io.polyvisor.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Optional capability: the host's own storage pool ({@code polyvisor}, a directory on the host, made on first use) and
 * snapshots of a VM's disks. Names are volume, image and snapshot names as {@link io.polyvisor.disk.StorageNames}
 * allows (no path characters); the driver maps them to files inside the pool and never writes outside it.
 * Volumes are qcow2. Every mutating call is idempotent by name, like {@link Compute} is by UUID:
 * <ul>
 *   <li>{@link #createVolume} of an existing name returns it unchanged; {@link #putImage} of an image already there
 *       with the same size does nothing;</li>
 *   <li>{@link #deleteVolume} and {@link #deleteImage} of an absent name succeed without doing anything.</li>
 * </ul>
 * Refusals the host makes (no room, an unknown image, a smaller size) are non-retryable {@link DriverException}s.
 */
public interface Storage {
    /** The pool, made (and started) if absent. */
    PoolInfo pool();

    /**
     * The same calls on shared pool {@code pool}, a directory at {@code path} on this host that other hosts mount too
     * ({@link io.polyvisor.disk.SharedPool}): its {@link #pool()} makes (defines, builds, starts, autostarts) the host's
     * pool of that name at that path if absent, and every volume call then works on files there. A domain whose disk names
     * that pool finds the same file on every host that declares it. Drivers without shared pools throw
     * {@link Unsupported}.
     */
    default Storage shared(String pool, String path) {
        throw new Unsupported("this", Capability.STORAGE, "shared storage pools");
    }

    List<VolumeInfo> volumes();

    Optional<VolumeInfo> volume(String name);

    /**
     * Makes an empty qcow2 volume of {@code sizeBytes}, or, with {@code image} not null, a qcow2 volume whose backing
     * file is that image in this pool ({@link #putImage} first); {@code sizeBytes} is then at least the image's size.
     */
    VolumeInfo createVolume(String name, long sizeBytes, String image);

    /**
     * Makes volume {@code name} a full copy of volume {@code source} (same size; a copy-on-write source is copied whole,
     * its image flattened in). The source must not be in use by a running VM. Idempotent like {@link #createVolume}.
     */
    VolumeInfo copyVolume(String source, String name);

    /**
     * Makes image {@code image} in this pool (qcow2) a self-contained copy of volume {@code volume}, its own image
     * flattened in: a template's base, never written to again, that {@link #createVolume} can then make volumes over.
     * The volume must not be in use by a running VM. Idempotent: an image already there of that name is left as it is.
     */
    void imageFromVolume(String volume, String image);

    /** Grows the volume to {@code sizeBytes}; never shrinks. The volume must not be in use by a running VM. */
    VolumeInfo resizeVolume(String name, long sizeBytes);

    void deleteVolume(String name);

    boolean hasImage(String image);

    /** Copies {@code file} (on this machine, format {@code qcow2} or {@code raw}) into the pool as {@code image}. */
    void putImage(String image, String format, Path file);

    void deleteImage(String image);

    /** The VM's disks (volumes of this pool), in guest order: of the running guest when it runs, else of its definition. */
    List<String> disks(UUID vm);

    /**
     * Attaches volume {@code volume} of this pool to the VM as a new disk on {@code bus} (its device name the first
     * free one): to the running guest at once (hot-plug) and to its definition, or to its definition only when the VM
     * is off. Idempotent: a volume attached already is left as it is. An unknown VM or volume is a non-retryable
     * {@link DriverException}.
     */
    void attachDisk(UUID vm, String volume, String bus);

    /**
     * Detaches the volume from the VM: from the running guest (which must release it; the call waits for that, and
     * fails if it does not come) and from its definition, or from its definition only when the VM is off. Idempotent:
     * a volume not attached is left as it is.
     */
    void detachDisk(UUID vm, String volume);

    /** Snapshots of the VM's disks, oldest first. */
    List<SnapshotInfo> snapshots(UUID vm);

    /**
     * Takes a snapshot of every disk of the VM; of a running VM, its memory too (the hypervisor's internal snapshot),
     * so a revert resumes it where it was.
     */
    SnapshotInfo createSnapshot(UUID vm, String name);

    /** Returns the VM's disks (and, for a snapshot of a running VM, the running VM) to the snapshot. */
    void revertSnapshot(UUID vm, String name);

    void deleteSnapshot(UUID vm, String name);

    /** The pool: {@code availableBytes} is what new volumes may still take. */
    record PoolInfo(String name, String path, long capacityBytes, long availableBytes) {}

    /**
     * @param capacityBytes   the size the guest sees
     * @param allocationBytes the bytes the file takes on the host now
     * @param image           the image it is copy-on-write over, or null
     */
    record VolumeInfo(String name, long capacityBytes, long allocationBytes, String image) {}

    /** @param running whether the VM was running when it was taken (then memory state was saved with it) */
    record SnapshotInfo(String name, long createdEpochSeconds, boolean running) {}
}
