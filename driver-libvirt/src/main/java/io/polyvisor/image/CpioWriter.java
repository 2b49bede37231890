package io.polyvisor.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the "newc" format the Linux kernel unpacks as an initramfs. Entries are
 * written in the order given; a directory must come before what it contains. All entries are owned
 * by root. {@link #finish()} writes the trailer; the caller closes the stream.
 */
final class CpioWriter implements FileTree {
    private static final int DIR = 0040000;
    private static final int FILE = 0100000;
    private static final int SYMLINK = 0120000;
    private static final int CHAR = 0020000;

    private final OutputStream out;
    private long written;
    private int inode = 1;

    CpioWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void directory(String path, int mode) throws IOException {
        entry(path, DIR | mode, new byte[0]);
    }

    @Override
    public void file(String path, int mode, byte[] data) throws IOException {
        entry(path, FILE | mode, data);
    }

    void symlink(String path, String target) throws IOException {
        entry(path, SYMLINK | 0777, target.getBytes(StandardCharsets.UTF_8));
    }

    /** A character device node, such as {@code dev/console} (5, 1) which the kernel opens before /init runs. */
    @Override
    public void charDevice(String path, int mode, int major, int minor) throws IOException {
        entry(path, CHAR | mode, new byte[0], major, minor);
    }

    void finish() throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        out.flush();
    }

    private void entry(String path, int mode, byte[] data) throws IOException {
        entry(path, mode, data, 0, 0);
    }

    private void entry(String path, int mode, byte[] data, int rdevMajor, int rdevMinor) throws IOException {
        if (path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("cpio entry must be a relative path without '..', got " + path);
        }
        byte[] name = (path + "\0").getBytes(StandardCharsets.UTF_8);
        var header = new StringBuilder("070701");
        long[] fields = {inode++, mode, 0, 0, 1, 0, data.length, 0, 0, rdevMajor, rdevMinor, name.length, 0};
        for (long f : fields) header.append(String.format("%08x", f));
        write(header.toString().getBytes(StandardCharsets.US_ASCII));
        write(name);
        pad();
        write(data);
        pad();
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) write(new byte[1]);
    }
}
