package io.polyvisor.model;

import java.nio.file.Path;

/** How a VM boots. Paths are files on the hypervisor host, absolute and free of {@code ..} segments. */
public sealed interface Boot {

    /** No boot media: the hypervisor's default (for the simulator, and for VMs that boot from the network). */
    record None() implements Boot {}

    /** Direct kernel boot, as with {@code qemu -kernel -initrd -append}. */
    record Kernel(String kernel, String initrd, String cmdline) implements Boot {
        public Kernel {
            kernel = requirePath("kernel", kernel);
            initrd = initrd == null || initrd.isEmpty() ? null : requirePath("initrd", initrd);
            cmdline = cmdline == null ? "" : cmdline;
            InvalidInput.require(cmdline.length() <= 2048, "cmdline must be at most 2048 characters, got " + cmdline.length());
            InvalidInput.require(cmdline.chars().noneMatch(Character::isISOControl), "cmdline must not contain control characters");
        }
    }

    /** Boots from a disk image file (qcow2 or raw, detected by the driver). */
    record Disk(String image) implements Boot {
        public Disk {
            image = requirePath("image", image);
        }
    }

    static Boot none() {
        return new None();
    }

    /**
     * Validates a host file path: absolute, normalised (no {@code .} or {@code ..} segments), printable and at
     * most 1024 characters. Returns it unchanged.
     */
    static String requirePath(String field, String path) {
        InvalidInput.require(path != null && !path.isEmpty(), field + " path is required");
        InvalidInput.require(path.length() <= 1024, field + " path must be at most 1024 characters");
        InvalidInput.require(path.chars().noneMatch(Character::isISOControl), field + " path must not contain control characters");
        InvalidInput.require(path.startsWith("/"), field + " path must be absolute, got '" + Strings.printable(path) + "'");
        for (String seg : path.split("/")) {
            InvalidInput.require(!seg.equals("..") && !seg.equals("."),
                    field + " path must not contain '.' or '..' segments, got '" + Strings.printable(path) + "'");
        }
        InvalidInput.require(Path.of(path).normalize().toString().equals(path.length() > 1 && path.endsWith("/")
                ? path.substring(0, path.length() - 1) : path), field + " path must be normalised, got '" + Strings.printable(path) + "'");
        return path;
    }
}
