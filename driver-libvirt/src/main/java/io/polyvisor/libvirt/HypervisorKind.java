package io.polyvisor.libvirt;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.Unsupported;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The hypervisor behind a libvirt connection, from {@code virConnectGetType}. It decides the domain
 * type written into domain XML and which capability groups a connection offers.
 */
enum HypervisorKind {
    QEMU("kvm", EnumSet.allOf(Capability.class), null),
    TEST("test", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.EVENTS, Capability.FENCING), null),
    XEN("xen", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.EVENTS, Capability.MIGRATION, Capability.FENCING),
            "a Xen guest needs its own domain definition (PV or HVM through libxl), and none has been built and run"),
    LXC("lxc", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.EVENTS, Capability.FENCING),
            "an LXC container needs an init and a root file system (os type exe), not a kernel and an initrd"),
    ESX("vmware", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.FENCING),
            "an ESXi VM needs datastore paths and VMware devices, not local files and virtio"),
    HYPERV("hyperv", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.FENCING),
            "libvirt's Hyper-V driver cannot define VMs from domain XML");

    /** The {@code <domain type=...>} this hypervisor takes (QEMU: kvm or qemu, decided per host). */
    final String domainType;
    final Set<Capability> capabilities;
    /**
     * Why Polyvisor does not define new VMs on this hypervisor, or null when it does. The domain XML Polyvisor
     * builds is a QEMU machine (hvm, virtio, kernel and initrd by path); it has run on QEMU and on libvirt's test
     * driver only, so every other kind is refused with this reason rather than sent a definition it would reject.
     */
    final String noDefineReason;

    HypervisorKind(String domainType, Set<Capability> capabilities, String noDefineReason) {
        this.domainType = domainType;
        this.capabilities = Set.copyOf(capabilities);
        this.noDefineReason = noDefineReason;
    }

    /** Throws {@link Unsupported} when VMs cannot be defined here (see {@link #noDefineReason}). */
    void requireDefinable(String driver) {
        if (noDefineReason != null) {
            throw new Unsupported(driver, Capability.COMPUTE, "defining VMs on " + name().toLowerCase(Locale.ROOT)
                    + " hosts: " + noDefineReason);
        }
    }

    /** Maps libvirt's connection type name ({@code QEMU}, {@code Test}, {@code Xen}, {@code ESX}, ...). */
    static HypervisorKind of(String connectType) {
        return switch (connectType.toUpperCase(Locale.ROOT)) {
            case "QEMU" -> QEMU;
            case "TEST" -> TEST;
            case "XEN", "LIBXL" -> XEN;
            case "LXC" -> LXC;
            case "ESX", "VPX" -> ESX;
            case "HYPER-V", "HYPERV" -> HYPERV;
            default -> throw new IllegalArgumentException("unsupported libvirt hypervisor type " + connectType);
        };
    }
}
