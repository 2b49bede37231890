package io.polyvisor.lifecycle;

import io.polyvisor.api.Body;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.Boot;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;

import java.util.Set;

/** Reads POST /api/v1/vms into a validated create request; every mistake is an {@link InvalidInput}. */
final class CreateVmBody {
    static final Set<String> FIELDS = Set.of("name", "vcpus", "memory", "memory_bytes", "boot", "host", "protection",
            "priority", "labels", "expose", "start");
    private static final Set<String> BOOT_FIELDS = Set.of("kernel", "initrd", "cmdline", "image");

    private CreateVmBody() {}

    static VmRequests.Create parse(ObjectMapper mapper, String text) {
        Body b = Body.parse(mapper, text, FIELDS);
        String name = Names.requireName("VM", b.requiredString("name"));
        int vcpus = b.has("vcpus") ? b.integer("vcpus") : 1;
        long memory = memory(b);
        Boot boot = boot(b.object("boot", BOOT_FIELDS));
        VmSpec spec = new VmSpec(vcpus, memory, boot, null, b.integerList("expose"));
        String host = b.string("host");
        if (host != null) Names.requireName("host", host);
        Protection protection = Protection.parse(b.string("protection"));
        Priority priority = b.has("priority") ? new Priority(b.integer("priority")) : Priority.MEDIUM;
        var labels = Names.requireLabels(b.stringMap("labels"));
        boolean start = !b.has("start") || b.bool("start");
        return new VmRequests.Create(name, spec, labels, protection, priority, host, start);
    }

    private static long memory(Body b) {
        boolean text = b.has("memory"), bytes = b.has("memory_bytes");
        InvalidInput.require(!(text && bytes), "give memory or memory_bytes, not both");
        InvalidInput.require(text || bytes, "memory is required (e.g. \"memory\": \"512M\")");
        return text ? Sizes.parse("memory", b.string("memory")) : b.longInteger("memory_bytes");
    }

    private static Boot boot(Body boot) {
        if (boot == null) return Boot.none();
        String image = boot.string("image");
        String kernel = boot.string("kernel");
        if (image != null) {
            InvalidInput.require(kernel == null && !boot.has("initrd") && !boot.has("cmdline"),
                    "boot takes an image or a kernel (with initrd and cmdline), not both");
            return new Boot.Disk(image);
        }
        InvalidInput.require(kernel != null, "boot needs a kernel or an image");
        return new Boot.Kernel(kernel, boot.string("initrd"), boot.string("cmdline"));
    }
}
