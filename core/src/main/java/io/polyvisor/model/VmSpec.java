package io.polyvisor.model;

import java.util.List;

/**
 * What a user asked a VM to be. Immutable and valid by construction: every constructor path
 * validates with the exact message a user sees.
 *
 * @param vcpus        1 to 512
 * @param memoryBytes  16 MiB to 4 TiB
 * @param exposePorts  guest TCP ports to expose on a host loopback port (user-mode networking)
 * @param disks        storage volumes of the VM's host, in guest order (vda first)
 * @param display      the graphical display besides the serial console (none when null)
 */
public record VmSpec(int vcpus, long memoryBytes, Boot boot, List<Nic> nics, List<Integer> exposePorts, List<Disk> disks,
                     Display display) {
    /** At most this many disks per VM (vda..vdp). */
    public static final int MAX_DISKS = 16;
    public static final long MIN_MEMORY = 16 * Sizes.MiB;
    public static final long MAX_MEMORY = 4 * Sizes.TiB;
    public static final int MAX_VCPUS = 512;

    public VmSpec {
        InvalidInput.require(vcpus >= 1 && vcpus <= MAX_VCPUS, "vcpus must be between 1 and " + MAX_VCPUS + ", got " + vcpus);
        InvalidInput.require(memoryBytes >= MIN_MEMORY && memoryBytes <= MAX_MEMORY,
                "memory must be between 16 MiB and 4 TiB, got " + (memoryBytes == 0 ? "0" : Sizes.format(memoryBytes)));
        boot = boot == null ? Boot.none() : boot;
        nics = nics == null ? List.of(Nic.user()) : List.copyOf(nics);
        InvalidInput.require(nics.size() <= 8, "at most 8 NICs are allowed, got " + nics.size());
        exposePorts = exposePorts == null ? List.of() : List.copyOf(exposePorts);
        for (int p : exposePorts) {
            InvalidInput.require(p >= 1 && p <= 65535, "exposed port must be between 1 and 65535, got " + p);
        }
        InvalidInput.require(exposePorts.stream().distinct().count() == exposePorts.size(), "exposed ports must not repeat");
        disks = disks == null ? List.of() : List.copyOf(disks);
        InvalidInput.require(disks.size() <= MAX_DISKS, "at most " + MAX_DISKS + " disks are allowed, got " + disks.size());
        InvalidInput.require(disks.stream().map(Disk::volume).distinct().count() == disks.size(), "a volume can be attached only once");
        display = display == null ? Display.NONE : display;
    }

    /** A spec without a graphical display. */
    public VmSpec(int vcpus, long memoryBytes, Boot boot, List<Nic> nics, List<Integer> exposePorts, List<Disk> disks) {
        this(vcpus, memoryBytes, boot, nics, exposePorts, disks, Display.NONE);
    }

    /** A spec without disks or a graphical display. */
    public VmSpec(int vcpus, long memoryBytes, Boot boot, List<Nic> nics, List<Integer> exposePorts) {
        this(vcpus, memoryBytes, boot, nics, exposePorts, List.of());
    }

    /** This spec with {@code next} as its NICs (validated as at create). */
    public VmSpec withNics(List<Nic> next) {
        return new VmSpec(vcpus, memoryBytes, boot, next, exposePorts, disks, display);
    }

    public VmSpec withDisks(List<Disk> next) {
        return new VmSpec(vcpus, memoryBytes, boot, nics, exposePorts, next, display);
    }

    public VmSpec withDisplay(Display next) {
        return new VmSpec(vcpus, memoryBytes, boot, nics, exposePorts, disks, next);
    }

    public static VmSpec of(int vcpus, long memoryBytes) {
        return new VmSpec(vcpus, memoryBytes, Boot.none(), null, null);
    }
}
