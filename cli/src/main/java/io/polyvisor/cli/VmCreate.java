package io.polyvisor.cli;

import io.polyvisor.model.Boot;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code polyvisor vm create NAME --vcpus N --memory SIZE ...}. Input is checked with the model's own validators
 * first, so a typo gets the server's exact message without a round trip; relative file paths are made absolute
 * against the current directory (the server does not share it).
 */
@Command(name = "create", description = "Create a VM, place it on a host and (unless --no-start) start it.")
final class VmCreate implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--vcpus", required = true, paramLabel = "N", description = "Virtual CPUs, 1-512.")
    int vcpus;

    @Option(names = "--memory", required = true, paramLabel = "SIZE", description = "Memory: 512M, 2G ... (16 MiB to 4 TiB).")
    String memory;

    @Option(names = "--kernel", paramLabel = "FILE", description = "Boot this kernel directly.")
    String kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk for --kernel.")
    String initrd;

    @Option(names = "--cmdline", paramLabel = "TEXT", description = "Kernel command line for --kernel.")
    String cmdline;

    @Option(names = "--image", paramLabel = "IMAGE|FILE", description = "An imported image: the VM gets a new copy-on-write"
            + " root volume NAME-root over it. A path (with '/' or '.') instead boots that disk image file directly.")
    String image;

    @Option(names = "--disk-size", paramLabel = "SIZE", description = "Size of the --image volume (default: the image's size).")
    String diskSize;

    @Option(names = "--disk-pool", paramLabel = "POOL", description = "Make the --image volume in this shared pool (default: the host's local pool).")
    String diskPool;

    @Option(names = "--disk", paramLabel = "VOLUME", description = "Attach this volume; repeatable. The VM goes to its host (a volume in a shared pool: to a host that declares the pool).")
    List<String> disks;

    @Option(names = "--host", paramLabel = "NAME", description = "Put it on this host (default: the placer chooses).")
    String host;

    @Option(names = "--protect", paramLabel = "MODE", description = "High availability: none, restart or standby.")
    String protect;

    @Option(names = "--priority", paramLabel = "1-5", description = "Restart priority, 5 first (default 3).")
    Integer priority;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label; repeatable.")
    List<String> labels;

    @Option(names = "--expose", paramLabel = "PORT", description = "Expose this guest TCP port on the host; repeatable.")
    List<Integer> expose;

    @Option(names = "--display", paramLabel = "none|vnc", description = "A graphical display besides the serial console "
            + "(default none); the web console shows a vnc display.")
    String display;

    @Option(names = "--project", paramLabel = "NAME", description = "The project that owns it (default: default).")
    String project;

    @Option(names = "--network", paramLabel = "NAME[:IP]", description = "A NIC on this private network, at this address "
            + "(default: the first free one); repeatable, first NIC first. Without it: one user-mode NIC.")
    List<String> networks;

    @Option(names = "--secgroup", paramLabel = "NAME", description = "A security group the VM is a member of from its first boot; "
            + "repeatable.")
    List<String> secgroups;

    @Option(names = "--user-data", paramLabel = "FILE", description = "Text its guest reads at /v1/self (pvctl user-data): a UTF-8 "
            + "file of at most 16 KiB.")
    java.nio.file.Path userData;

    @Option(names = "--no-start", description = "Create the VM stopped.")
    boolean noStart;

    @Mixin
    WaitOptions wait;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var accepted = cli.client().post("/api/v1/vms", body());
        TaskReport.finish(cli, accepted, accepted.get("task"), wait, name);
    }

    /** The POST /api/v1/vms body, validated; throws {@link InvalidInput} with the server's messages. */
    Map<String, Object> body() {
        var b = new LinkedHashMap<String, Object>();
        b.put("name", Names.requireName("vm", name));
        var spec = new VmSpec(vcpus, Sizes.parse("memory", memory), boot(), null, expose);
        b.put("vcpus", spec.vcpus());
        b.put("memory_bytes", spec.memoryBytes());
        switch (spec.boot()) {
            case Boot.None n -> { }
            case Boot.Kernel k -> b.put("boot", kernelBoot(k));
            case Boot.Disk d -> b.put("boot", Map.of("image", d.image()));
        }
        if (host != null) b.put("host", Names.requireName("host", host));
        if (protect != null) b.put("protection", Protection.parse(protect).label());
        if (priority != null) b.put("priority", new Priority(priority).level());
        if (labels != null) b.put("labels", Labels.parse(labels));
        if (expose != null) b.put("expose", spec.exposePorts());
        if (project != null) b.put("project", Names.requireName("project", project));
        if (display != null) b.put("display", io.polyvisor.model.Display.parse(display).label());
        if (imageName() != null) b.put("image", io.polyvisor.disk.StorageNames.image(image));
        InvalidInput.require(diskSize == null || imageName() != null, "--disk-size needs --image IMAGE");
        if (diskSize != null) b.put("disk_size", Long.toString(io.polyvisor.disk.DiskSizes.parse("disk_size", diskSize)));
        InvalidInput.require(diskPool == null || imageName() != null, "--disk-pool needs --image IMAGE");
        if (diskPool != null) b.put("disk_pool", io.polyvisor.disk.StorageNames.pool(diskPool));
        if (disks != null) {
            disks.forEach(io.polyvisor.disk.StorageNames::volume);
            b.put("disks", disks);
        }
        if (networks != null) b.put("nics", NicOptions.parse(networks));
        if (secgroups != null) {
            secgroups.forEach(g -> Names.requireName("secgroup", g));
            InvalidInput.require(secgroups.stream().distinct().count() == secgroups.size(), "secgroups must not repeat");
            b.put("secgroups", secgroups);
        }
        if (userData != null) b.put("user_data", io.polyvisor.coordination.CoordNames.userData(io.polyvisor.cli.coord.UserDataCommands.readFile(userData)));
        b.put("start", !noStart);
        return b;
    }

    /** {@code --image} when it names an imported image (no '/' or '.'), else null: then it is a file to boot. */
    private String imageName() {
        return image == null || image.contains("/") || image.contains(".") ? null : image;
    }

    private Boot boot() {
        if (image != null && imageName() == null) {
            InvalidInput.require(kernel == null && initrd == null && cmdline == null,
                    "--image cannot be combined with --kernel, --initrd or --cmdline");
            return new Boot.Disk(absolute(image));
        }
        if (kernel == null) {
            InvalidInput.require(initrd == null && cmdline == null, "--initrd and --cmdline need --kernel");
            return Boot.none();
        }
        return new Boot.Kernel(absolute(kernel), initrd == null ? null : absolute(initrd), cmdline);
    }

    private static Map<String, Object> kernelBoot(Boot.Kernel k) {
        var m = new LinkedHashMap<String, Object>();
        m.put("kernel", k.kernel());
        if (k.initrd() != null) m.put("initrd", k.initrd());
        if (!k.cmdline().isEmpty()) m.put("cmdline", k.cmdline());
        return m;
    }

    private static String absolute(String path) {
        return path.isEmpty() ? path : Path.of(path).toAbsolutePath().normalize().toString();
    }
}
