package io.polyvisor.libvirt;

import java.util.List;

/**
 * Per-host choices that shape domain XML, decided by the connection (not by users).
 *
 * @param domainType  {@code kvm}, {@code qemu} (TCG), {@code test}, {@code xen}...
 * @param qemuDevices whether to add QEMU-only parts: SMBIOS identity, serial log file, guest agent channel,
 *                    balloon stats and an RNG
 * @param logDir      folder on the host for serial console logs ({@code UUID.serial.log})
 * @param imageRoots  folders that kernels, initrds and disk images must be under
 * @param localFiles  whether the host's files are this machine's (a libvirt URI without a host name): then boot files
 *                    are checked by their real path, links resolved, and must exist as regular files
 */
record DomainSettings(String domainType, boolean qemuDevices, String logDir, List<String> imageRoots, boolean localFiles) {
    DomainSettings {
        imageRoots = List.copyOf(imageRoots);
    }

    /** The CPU model: the host's for KVM (migratable between like hosts), plain qemu64 for TCG. */
    boolean hostCpu() {
        return domainType.equals("kvm");
    }
}
