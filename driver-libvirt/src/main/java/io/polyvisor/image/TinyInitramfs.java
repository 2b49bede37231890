package io.polyvisor.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Lays out the tiny guest's initramfs from unpacked Debian packages: busybox as every tool, the
 * virtio/ACPI kernel modules {@code /init} loads (listed in {@code modules.order}), and qemu-ga with
 * the shared libraries {@code ldd} names, copied from this machine.
 */
final class TinyInitramfs {
    private static final Pattern LDD_PATH = Pattern.compile("(/\\S+) \\(0x");

    /** The archive and whether qemu-ga made it in. */
    record Built(byte[] cpio, boolean agent) {}

    private final Path kernelRoot;
    private final Path busyboxRoot;
    private final Path agentRoot;
    private final TreeSet<String> dirs = new TreeSet<>();

    TinyInitramfs(Path kernelRoot, Path busyboxRoot, Path agentRoot) {
        this.kernelRoot = kernelRoot;
        this.busyboxRoot = busyboxRoot;
        this.agentRoot = agentRoot;
    }

    Built build() throws IOException {
        var buf = new ByteArrayOutputStream(8 << 20);
        var cpio = new CpioWriter(buf);
        boolean agent = layOut(cpio);
        cpio.finish();
        return new Built(buf.toByteArray(), agent);
    }

    /** Writes every file of the guest into {@code cpio}; returns whether qemu-ga made it in. */
    boolean layOut(FileTree cpio) throws IOException {
        for (var d : List.of("bin", "sbin", "dev", "etc", "etc/acpi", "etc/acpi/PWRF", "lib", "lib64", "proc", "sys",
                "tmp", "run", "var", "var/log", "usr", "usr/bin", "usr/sbin", "www", "www/cgi-bin", "data")) {
            mkdirs(cpio, d);
        }
        cpio.charDevice("dev/console", 0600, 5, 1);
        cpio.charDevice("dev/null", 0666, 1, 3);
        cpio.file("init", 0755, ImageKit.resource("init"));
        cpio.file("etc/udhcpc.script", 0755, ImageKit.resource("udhcpc.script"));
        cpio.file("www/cgi-bin/note", 0755, ImageKit.resource("note.cgi"));
        cpio.file("usr/bin/pvctl", 0755, ImageKit.resource("pvctl"));
        cpio.file("etc/acpi/PWRF/00000080", 0755, ImageKit.resource("power-off"));
        var modulesOrder = ImageKit.resource("modules.order");
        cpio.file("etc/modules.order", 0644, modulesOrder);
        cpio.file("bin/busybox", 0755, Files.readAllBytes(busyboxRoot.resolve("bin/busybox")));
        cpio.file("bin/sh", 0755, Files.readAllBytes(busyboxRoot.resolve("bin/busybox")));

        var modules = moduleDir();
        for (var rel : new String(modulesOrder, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            var src = modules.resolve("kernel").resolve(rel);
            if (!Files.exists(src)) continue; // built into this kernel
            var dst = kernelRoot.relativize(src).toString();
            mkdirs(cpio, parent(dst));
            cpio.file(dst, 0644, Files.readAllBytes(src));
        }
        return agentRoot != null && addAgent(cpio);
    }

    /** Adds qemu-ga and its libraries; false (and nothing added) when a library cannot be found here. */
    private boolean addAgent(FileTree cpio) throws IOException {
        var binary = agentRoot.resolve("usr/sbin/qemu-ga");
        if (!Files.isRegularFile(binary)) return false;
        var libs = new ArrayList<Path>();
        for (var line : HostCommand.run(null, List.of("ldd", binary.toString())).lines().toList()) {
            if (line.contains("not found")) {
                System.err.println("image kit: qemu-ga left out, library missing on this machine: " + line.strip());
                return false;
            }
            var m = LDD_PATH.matcher(line);
            if (m.find()) libs.add(Path.of(m.group(1)));
        }
        for (var lib : libs) {
            var dst = lib.toString().substring(1);
            mkdirs(cpio, parent(dst));
            cpio.file(dst, 0755, Files.readAllBytes(lib));
        }
        cpio.file("usr/sbin/qemu-ga", 0755, Files.readAllBytes(binary));
        return true;
    }

    private Path moduleDir() throws IOException {
        try (var versions = Files.list(kernelRoot.resolve("lib/modules"))) {
            return versions.findFirst().orElseThrow(() -> new ImageKitException("kernel package has no lib/modules/*"));
        }
    }

    private void mkdirs(FileTree cpio, String dir) throws IOException {
        if (dir.isEmpty() || dirs.contains(dir)) return;
        mkdirs(cpio, parent(dir));
        dirs.add(dir);
        cpio.directory(dir, 0755);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
