package io.polyvisor.lifecycle;

import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Display;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;

import java.util.List;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.LABELS;
import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.integer;
import static io.polyvisor.api.WrittenSchema.label;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** Reads POST /api/v1/vms into a validated create request; every mistake is an {@link InvalidInput}. */
final class CreateVmBody {
    private static final Set<String> BOOT_FIELDS = Set.of("kernel", "initrd", "cmdline", "image");

    /** The body {@link #parse} reads: its fields, and what each takes (the OpenAPI document shows it). */
    static final Payload.Written SCHEMA = new Payload.Written("CreateVm", object(List.of("name"),
            "name", map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"),
            "vcpus", map("type", "integer", "minimum", 1, "maximum", VmSpec.MAX_VCPUS, "default", 1),
            "memory", map("type", "string", "description", "a size such as 256M or 4G; give this or memory_bytes"),
            "memory_bytes", integer(VmSpec.MIN_MEMORY, VmSpec.MAX_MEMORY),
            "boot", map("description", "absent: no boot media", "anyOf", List.of(
                    object(List.of("kernel"), "kernel", STRING, "initrd", STRING, "cmdline", STRING),
                    object(List.of("image"), "image", STRING))),
            "host", STRING,
            "protection", label(Protection.class),
            "priority", integer(Priority.LOWEST.level(), Priority.HIGHEST.level()),
            "labels", LABELS,
            "nics", map("type", "array", "maxItems", 8, "description", "absent: one user-mode NIC; first NIC first",
                    "items", object(List.of("network"), "network", STRING, "ip", STRING, "mac", STRING)),
            "expose", map("type", "array", "maxItems", 64, "items", integer(1, 65535)),
            "display", map("description", "a graphical display besides the serial console (default none); vnc is shown by the "
                    + "web console (docs/CONSOLE.md)", "type", "string", "enum", List.of("none", "vnc")),
            "secgroups", map("type", "array", "maxItems", 16, "items", STRING,
                    "description", "security groups the VM is a member of from its first boot"),
            "start", map("type", "boolean", "default", true),
            "user_data", map("type", "string", "description", "text its guest reads at /v1/self (at most 16 KiB of UTF-8, no NUL; "
                    + "docs/COORDINATION.md)"),
            "project", map("type", "string", "description", "the project that owns the VM (default: default)"),
            "image", map("type", "string", "description", "an imported image: the VM gets a new copy-on-write root volume over it"),
            "disk_size", map("type", "string", "description", "the size of that volume, e.g. 10G (default: the image's size)"),
            "disk_pool", map("type", "string", "description", "a shared pool to make that volume in (default: the host's local pool)"),
            "disks", map("type", "array", "maxItems", VmSpec.MAX_DISKS, "items", STRING,
                    "description", "existing volumes to attach, in order (after the image's volume)")), false);

    private CreateVmBody() {}

    static VmRequests.Create parse(ObjectMapper mapper, String text) {
        Body b = Body.parse(mapper, text, SCHEMA.fields());
        String name = Names.requireName("VM", b.requiredString("name"));
        int vcpus = b.has("vcpus") ? b.integer("vcpus") : 1;
        long memory = memory(b);
        Boot boot = BootBody.parse(b.object("boot", BOOT_FIELDS));
        var nics = NicsBody.parse(b);
        var expose = b.integerList("expose");
        InvalidInput.require(expose.isEmpty() || nics == null || !nics.get(0).privateNetwork(),
                "expose forwards ports over the first NIC, which must then be user-mode: put {\"network\": \"user\"} first in nics");
        VmSpec spec = new VmSpec(vcpus, memory, boot, nics, expose, List.of(), Display.parse(b.string("display")));
        String host = b.string("host");
        if (host != null) Names.requireName("host", host);
        Protection protection = Protection.parse(b.string("protection"));
        Priority priority = b.has("priority") ? new Priority(b.integer("priority")) : Priority.MEDIUM;
        var labels = Names.requireLabels(b.stringMap("labels"));
        boolean start = !b.has("start") || b.bool("start");
        String project = b.has("project") ? Names.requireName("project", b.string("project")) : null;
        var secgroups = b.stringList("secgroups");
        secgroups.forEach(g -> io.polyvisor.model.Names.requireName("secgroup", g));
        InvalidInput.require(secgroups.stream().distinct().count() == secgroups.size(), "secgroups must not repeat");
        String userData = b.has("user_data") ? io.polyvisor.coordination.CoordNames.userData(b.requiredString("user_data")) : null;
        return new VmRequests.Create(name, spec, labels, protection, priority, host, start, project, disks(b), secgroups, userData);
    }

    private static VmDisks.Request disks(Body b) {
        String image = b.string("image");
        if (image != null) io.polyvisor.disk.StorageNames.image(image);
        InvalidInput.require(image != null || !b.has("disk_size"), "disk_size needs an image");
        Long size = b.has("disk_size") ? io.polyvisor.disk.DiskSizes.parse("disk_size", b.string("disk_size")) : null;
        InvalidInput.require(image != null || !b.has("disk_pool"), "disk_pool needs an image");
        String pool = b.has("disk_pool") ? io.polyvisor.disk.StorageNames.pool(b.string("disk_pool")) : null;
        var volumes = b.has("disks") ? b.stringList("disks") : List.<String>of();
        volumes.forEach(io.polyvisor.disk.StorageNames::volume);
        InvalidInput.require(volumes.size() + (image == null ? 0 : 1) <= VmSpec.MAX_DISKS,
                "at most " + VmSpec.MAX_DISKS + " disks are allowed, got " + (volumes.size() + (image == null ? 0 : 1)));
        InvalidInput.require(volumes.stream().distinct().count() == volumes.size(), "a volume can be attached only once");
        return new VmDisks.Request(image, size, volumes, pool);
    }

    private static long memory(Body b) {
        boolean text = b.has("memory"), bytes = b.has("memory_bytes");
        InvalidInput.require(!(text && bytes), "give memory or memory_bytes, not both");
        InvalidInput.require(text || bytes, "memory is required (e.g. \"memory\": \"512M\")");
        return text ? Sizes.parse("memory", b.string("memory")) : b.longInteger("memory_bytes");
    }
}
