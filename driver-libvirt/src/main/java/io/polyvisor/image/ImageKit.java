package io.polyvisor.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the tiny guest used by tests, demos and benchmarks from Debian packages: the cloud kernel,
 * busybox-static and (when it can be fetched and its libraries found) qemu-guest-agent. Packages are
 * fetched with {@code apt-get download} into a cache folder and unpacked with {@code dpkg-deb -x};
 * the initramfs is written by {@link CpioWriter} and gzip here, so only apt and dpkg are needed.
 *
 * <pre>
 *   apt-get download ─► cache/*.deb ─► dpkg-deb -x ─► pick kernel, busybox, modules, qemu-ga+libs
 *        ─► cpio newc + gzip ─► OUT/initramfs.gz,  kernel ─► OUT/vmlinuz   (both 0644, OUT 0755)
 * </pre>
 */
public final class ImageKit {
    private static final String KERNEL_META = "linux-image-cloud-amd64";
    private static final String BUSYBOX = "busybox-static";
    private static final String AGENT = "qemu-guest-agent";

    private final Path debCache;

    public ImageKit(Path debCache) {
        this.debCache = debCache;
    }

    /** {@code $XDG_CACHE_HOME/polyvisor/debs}, else {@code ~/.cache/polyvisor/debs}. */
    public static Path defaultCache() {
        var xdg = System.getenv("XDG_CACHE_HOME");
        var base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("polyvisor").resolve("debs");
    }

    /** Whether {@code out} already holds a tiny guest (both files present and non-empty). */
    public static boolean built(Path out) {
        try {
            return Files.size(out.resolve("vmlinuz")) > 0 && Files.size(out.resolve("initramfs.gz")) > 0
                    && KIT_VERSION.equals(Files.readString(out.resolve(".kit")).strip());
        } catch (IOException e) {
            return false;
        }
    }

    /** The guest files this kit lays out ({@code /init}, {@code pvctl}, ...): a change to any of them is a new kit. */
    private static final List<String> KIT_FILES = List.of("init", "udhcpc.script", "power-off", "modules.order", "pvctl", "note.cgi");

    /**
     * The first 12 hex digits of the SHA-256 of the kit's guest files: an image in a folder stamped with another
     * version (an older /init) is built again rather than reused.
     */
    public static final String KIT_VERSION = kitVersion();

    private static String kitVersion() {
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String f : KIT_FILES) {
                sha.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(resource(f));
            }
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The image in {@code out}, built now unless {@link #built} already. Safe when several processes (test
     * JVMs) ask at once: the first builds under a file lock, the others wait and reuse its result.
     */
    public TinyImage ensureTiny(Path out) {
        if (built(out)) return image(out, Files.exists(out.resolve(".agent")));
        // the file lock orders processes; within one JVM a second lock on the file would throw, so threads queue here
        synchronized (ImageKit.class) {
            try {
                Files.createDirectories(out);
                try (var ch = FileChannel.open(out.resolve(".build.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     var lock = ch.lock()) {
                    return built(out) ? image(out, Files.exists(out.resolve(".agent"))) : buildTiny(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + out + " to build the tiny guest", e);
            }
        }
    }

    /** Writes {@code out/vmlinuz} and {@code out/initramfs.gz}, replacing what was there. */
    public TinyImage buildTiny(Path out) {
        return build(out, false);
    }

    /**
     * {@link #buildTiny} and also {@code out/disk.qcow2}: an ext4 file system (made by {@code mke2fs -d} from a folder, so
     * no root and no loop mount) holding the same userland and a writable {@code /data}. Boot the kernel and initramfs
     * with {@link TinyDisk#CMDLINE} and the disk as {@code vda}: the initramfs hands over to the disk.
     */
    public TinyDisk buildTinyDisk(Path out) {
        var img = build(out, true);
        return new TinyDisk(img, out.resolve(TinyDisk.FILE).toAbsolutePath());
    }

    /** The disk image in {@code out}, built now unless it is there already (under the same lock as {@link #ensureTiny}). */
    public TinyDisk ensureTinyDisk(Path out) {
        synchronized (ImageKit.class) {
            try {
                Files.createDirectories(out);
                try (var ch = FileChannel.open(out.resolve(".build.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     var lock = ch.lock()) {
                    if (built(out) && Files.exists(out.resolve(TinyDisk.FILE))) {
                        return new TinyDisk(image(out, Files.exists(out.resolve(".agent"))), out.resolve(TinyDisk.FILE).toAbsolutePath());
                    }
                    return buildTinyDisk(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + out + " to build the tiny guest's disk", e);
            }
        }
    }

    private TinyImage build(Path out, boolean disk) {
        try {
            Files.createDirectories(debCache);
            Files.createDirectories(out);
            var work = Files.createTempDirectory("polyvisor-tiny");
            try {
                var kernelPkg = kernelPackage();
                var kernelRoot = unpack(fetch(kernelPkg), work.resolve("kernel"));
                var busyboxRoot = unpack(fetch(BUSYBOX), work.resolve("busybox"));
                Path agentRoot = null;
                try {
                    agentRoot = unpack(fetch(AGENT), work.resolve("agent"));
                } catch (ImageKitException e) {
                    System.err.println("image kit: building without qemu-guest-agent: " + e.getMessage());
                }
                var layout = new TinyInitramfs(kernelRoot, busyboxRoot, agentRoot);
                var initramfs = layout.build();
                if (disk) writeDisk(layout, work, out.resolve(TinyDisk.FILE));
                else Files.deleteIfExists(out.resolve(TinyDisk.FILE)); // it was made by an earlier build: it would not match
                boolean agent = agentRoot != null && initramfs.agent();
                writeAtomically(out.resolve("initramfs.gz"), gzip(initramfs.cpio()));
                writeAtomically(out.resolve("vmlinuz"), Files.readAllBytes(kernelImage(kernelRoot)));
                var marker = out.resolve(".agent");
                if (agent) Files.writeString(marker, "qemu-guest-agent\n"); else Files.deleteIfExists(marker);
                Files.writeString(out.resolve(".kit"), KIT_VERSION + "\n");
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                return image(out, agent);
            } finally {
                deleteTree(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("building the tiny guest in " + out + " failed", e);
        }
    }

    private static void writeDisk(TinyInitramfs layout, Path work, Path target) throws IOException {
        var root = work.resolve("disk-root");
        Files.createDirectories(root);
        layout.layOut(new FolderTree(root));
        Files.writeString(root.resolve("etc/polyvisor-disk"), "the root file system of the tiny guest's disk\n");
        var raw = work.resolve("disk.raw");
        HostCommand.run(null, List.of("mke2fs", "-F", "-q", "-t", "ext4", "-L", "polyvisor-tiny", "-d", root.toString(),
                raw.toString(), TinyDisk.SIZE_MIB + "M"));
        var tmp = target.resolveSibling(target.getFileName() + ".tmp");
        HostCommand.run(null, List.of("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), tmp.toString()));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static TinyImage image(Path out, boolean agent) {
        return new TinyImage(out.resolve("vmlinuz").toAbsolutePath(), out.resolve("initramfs.gz").toAbsolutePath(),
                TinyImage.CMDLINE, agent);
    }

    /** The versioned package the {@code linux-image-cloud-amd64} meta package depends on. */
    private static String kernelPackage() {
        var out = HostCommand.run(null, List.of("apt-cache", "depends", KERNEL_META));
        return out.lines().map(String::strip).filter(l -> l.startsWith("Depends: linux-image-"))
                .map(l -> l.substring("Depends: ".length())).findFirst()
                .orElseThrow(() -> new ImageKitException("apt-cache knows no kernel for " + KERNEL_META
                        + " (run apt-get update?)"));
    }

    /** The cached .deb of {@code pkg}, downloaded first when absent. */
    private Path fetch(String pkg) throws IOException {
        var cached = cachedDeb(pkg);
        if (cached == null) {
            HostCommand.run(debCache, List.of("apt-get", "download", "-q", pkg));
            cached = cachedDeb(pkg);
            if (cached == null) throw new ImageKitException("apt-get download " + pkg + " wrote no .deb into " + debCache);
        }
        return cached;
    }

    private Path cachedDeb(String pkg) throws IOException {
        try (var files = Files.list(debCache)) {
            return files.filter(f -> f.getFileName().toString().startsWith(pkg + "_") && f.toString().endsWith(".deb"))
                    .max(Comparator.comparing(Path::toString)).orElse(null);
        }
    }

    private static Path unpack(Path deb, Path into) throws IOException {
        Files.createDirectories(into);
        HostCommand.run(null, List.of("dpkg-deb", "-x", deb.toString(), into.toString()));
        return into;
    }

    private static Path kernelImage(Path kernelRoot) throws IOException {
        try (var files = Files.list(kernelRoot.resolve("boot"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new ImageKitException("kernel package has no boot/vmlinuz-*"));
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        var buf = new ByteArrayOutputStream(data.length / 2);
        try (var gz = new GZIPOutputStream(buf, 1 << 16)) {
            gz.write(data);
        }
        return buf.toByteArray();
    }

    /** Writes via a temporary file and a rename, world-readable (QEMU runs as another user). */
    private static void writeAtomically(Path target, byte[] data) throws IOException {
        var tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, data);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static byte[] resource(String name) {
        try (InputStream in = ImageKit.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
