package io.polyvisor.image;

import io.polyvisor.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * {@code polyvisor image build-tiny --out DIR}: writes DIR/vmlinuz and DIR/initramfs.gz, the tiny guest
 * (HTTP on port 80 answering its name, ACPI power-off, qemu-guest-agent when available) from Debian packages.
 * Runs on this machine (apt-get download, dpkg-deb); no server needed.
 */
@Command(name = "build-tiny", description = "Build the tiny test guest (kernel + initramfs) from Debian packages.")
public final class BuildTinyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Folder to write vmlinuz and initramfs.gz into (created; "
            + "QEMU must be able to read it, so not under /root).")
    Path out;

    @Option(names = "--disk", description = "Also write DIR/disk.qcow2: an ext4 root file system with the guest's userland and "
            + "a writable /data (made with mke2fs -d, no root needed); boot the kernel and initramfs with the printed cmdline "
            + "and the disk as the first virtio disk.")
    boolean disk;

    @Option(names = "--cache", description = "Folder for downloaded .deb files (default ~/.cache/polyvisor/debs).")
    Path cache;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        long t0 = System.nanoTime();
        var kit = new ImageKit(cache != null ? cache : ImageKit.defaultCache());
        var tinyDisk = disk ? kit.buildTinyDisk(out.toAbsolutePath()) : null;
        var img = tinyDisk != null ? tinyDisk.boot() : kit.buildTiny(out.toAbsolutePath());
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (cli.json()) {
            var o = new LinkedHashMap<String, Object>();
            o.put("kernel", img.kernel().toString());
            o.put("initrd", img.initrd().toString());
            o.put("cmdline", img.cmdline());
            o.put("guest_agent", img.agent());
            if (tinyDisk != null) {
                o.put("disk", tinyDisk.disk().toString());
                o.put("disk_cmdline", io.polyvisor.image.TinyDisk.CMDLINE);
            }
            o.put("build_s", Math.round(seconds * 100) / 100.0);
            cli.printJson(o);
            return;
        }
        var p = cli.out();
        p.printf(Locale.ROOT, "kernel   %s%ninitrd   %s%ncmdline  %s%nagent    %s%nbuilt in %.1f s%n", img.kernel(), img.initrd(),
                img.cmdline(), img.agent() ? "qemu-guest-agent" : "none", seconds);
        p.printf(Locale.ROOT, "boot it: polyvisor vm create NAME --vcpus 1 --memory 128M --kernel %s --initrd %s --cmdline '%s' --expose 80%n",
                img.kernel(), img.initrd(), img.cmdline());
        if (tinyDisk != null) {
            p.printf(Locale.ROOT, "disk     %s%nboot from it: polyvisor image import tiny --file %s && polyvisor vm create NAME --vcpus 1"
                    + " --memory 128M --kernel %s --initrd %s --cmdline '%s' --image tiny --expose 80%n", tinyDisk.disk(), tinyDisk.disk(),
                    img.kernel(), img.initrd(), io.polyvisor.image.TinyDisk.CMDLINE);
        }
    }
}
