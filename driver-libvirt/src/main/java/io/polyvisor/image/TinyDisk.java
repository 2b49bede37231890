package io.polyvisor.image;

import java.nio.file.Path;

/**
 * The tiny guest's disk image: a qcow2 holding an ext4 root file system (the userland and a writable {@code /data}),
 * booted with the tiny kernel and initramfs and {@link #CMDLINE}, the disk being the guest's first virtio disk.
 */
public record TinyDisk(TinyImage boot, Path disk) {
    public static final String FILE = "disk.qcow2";
    /** The file system's size (and the image's virtual size). */
    public static final int SIZE_MIB = 64;
    /** {@link TinyImage#CMDLINE} plus the root the initramfs hands over to. */
    public static final String CMDLINE = TinyImage.CMDLINE + " polyvisor.root=/dev/vda";
}
