package io.polyvisor.model;

/**
 * A disk of a VM: a storage volume of the VM's host, by name, and the bus the guest sees it on. The first disk is
 * the guest's {@code vda}, the next {@code vdb}, and so on.
 *
 * @param volume a volume name ({@link Names#requireName} rules: no path characters)
 * @param bus    {@code virtio} (the only bus built and run so far)
 */
public record Disk(String volume, String bus) {
    public static final String VIRTIO = "virtio";

    public Disk {
        Names.requireName("volume", volume);
        bus = bus == null ? VIRTIO : bus;
        InvalidInput.require(bus.equals(VIRTIO), "disk bus must be virtio, got '" + Strings.printable(bus) + "'");
    }

    public static Disk of(String volume) {
        return new Disk(volume, VIRTIO);
    }
}
