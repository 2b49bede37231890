package io.polyvisor.model;

/**
 * A disk of a VM: a storage volume of the VM's host, by name, and the bus the guest sees it on. The first disk is
 * the guest's {@code vda}, the next {@code vdb}, and so on.
 *
 * @param volume a volume name ({@link Names#requireName} rules: no path characters)
 * @param bus    {@code virtio} (the only bus built and run so far)
 * @param pool   the shared pool holding the volume ({@code docs/STORAGE.md}), reachable from every host that declares
 *               it; null for the host's own local pool
 */
public record Disk(String volume, String bus, String pool) {
    public static final String VIRTIO = "virtio";

    public Disk {
        Names.requireName("volume", volume);
        bus = bus == null ? VIRTIO : bus;
        InvalidInput.require(bus.equals(VIRTIO), "disk bus must be virtio, got '" + Strings.printable(bus) + "'");
        if (pool != null) Names.requireName("pool", pool);
    }

    /** A disk on the host's local pool. */
    public Disk(String volume, String bus) {
        this(volume, bus, null);
    }

    /** Whether the volume is in the host's own pool (so only that host, or a block migration, reaches it). */
    public boolean local() {
        return pool == null;
    }

    public static Disk of(String volume) {
        return new Disk(volume, VIRTIO);
    }

    /** A disk on {@code pool} (null: the host's local pool). */
    public static Disk of(String volume, String pool) {
        return new Disk(volume, VIRTIO, pool);
    }
}
