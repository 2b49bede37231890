package io.polyvisor.libvirt;

import io.polyvisor.spi.Capability;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The hypervisor behind a libvirt connection, from {@code virConnectGetType}. It decides the domain
 * type written into domain XML and which capability groups a connection offers.
 */
enum HypervisorKind {
    QEMU("kvm", EnumSet.allOf(Capability.class)),
    TEST("test", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.EVENTS, Capability.FENCING)),
    XEN("xen", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.EVENTS, Capability.MIGRATION, Capability.FENCING)),
    LXC("lxc", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.EVENTS, Capability.FENCING)),
    ESX("vmware", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.FENCING)),
    HYPERV("hyperv", EnumSet.of(Capability.COMPUTE, Capability.STATS, Capability.FENCING));

    /** The {@code <domain type=...>} this hypervisor takes (QEMU: kvm or qemu, decided per host). */
    final String domainType;
    final Set<Capability> capabilities;

    HypervisorKind(String domainType, Set<Capability> capabilities) {
        this.domainType = domainType;
        this.capabilities = Set.copyOf(capabilities);
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
