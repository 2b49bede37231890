package io.polyvisor.libvirt;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.spi.HostConnection;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every libvirt-backed hypervisor: QEMU/KVM (local, ssh, tcp, tls, unix socket), Xen, ESX, Hyper-V, LXC
 * and libvirt's own in-memory test driver. What a given host offers depends on its hypervisor; see
 * {@link HypervisorKind}.
 */
public final class LibvirtDriver implements DriverProvider {
    public static final String NAME = "libvirt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> schemes() {
        return List.of("qemu", "qemu+ssh", "qemu+tcp", "qemu+tls", "qemu+unix", "qemu+libssh2",
                "xen", "xen+ssh", "esx", "vpx", "hyperv", "lxc", "test", "test+unix");
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public HostConnection connect(URI uri) {
        return LibvirtConnection.open(HostUri.parse(uri));
    }
}
