package io.polyvisor.image;

import java.nio.file.Path;

/**
 * A built tiny guest: a kernel and an initramfs for direct kernel boot, world-readable.
 *
 * @param cmdline the kernel command line the guest expects (serial console, reboot on panic)
 * @param agent   whether qemu-guest-agent is inside
 */
public record TinyImage(Path kernel, Path initrd, String cmdline, boolean agent) {
    /** Serial console on ttyS0 (the driver logs it to a file); reboot at once on panic, which the driver's on_reboot policy turns into a stop. */
    public static final String CMDLINE = "console=ttyS0 panic=-1 quiet";
}
