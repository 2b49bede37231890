package io.polyvisor.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tells qcow2 from raw: by the file's magic bytes when the file is on this machine, else by its
 * extension. Never lets QEMU probe the format itself (a raw image could pose as qcow2 and read host files).
 */
final class DiskFormat {
    private static final byte[] QCOW_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    private DiskFormat() {}

    static String of(String image) {
        var path = Path.of(image);
        if (Files.isReadable(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                return Arrays.equals(in.readNBytes(4), QCOW_MAGIC) ? "qcow2" : "raw";
            } catch (IOException e) {
                // fall through to the name
            }
        }
        return image.endsWith(".qcow2") ? "qcow2" : "raw";
    }
}
