package io.polyvisor.access;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Strings;
import io.polyvisor.model.VmSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A project's limits; a null limit is no limit. Written {@code vcpus=N,memory=SIZE,vms=N,disk=SIZE} on the command
 * line, any subset, {@code none} for no limit at all. {@code disk} limits the sum of the sizes of the project's volumes
 * (the size each guest sees, whether or not the file has grown to it).
 */
public record Quota(Integer vcpus, Long memoryBytes, Integer vms, Long diskBytes) {
    public static final Quota NONE = new Quota(null, null, null, null);

    public Quota {
        InvalidInput.require(vcpus == null || vcpus >= 0, "quota vcpus must be 0 or more, got " + vcpus);
        InvalidInput.require(memoryBytes == null || memoryBytes >= 0, "quota memory must be 0 or more, got " + memoryBytes);
        InvalidInput.require(vms == null || vms >= 0, "quota vms must be 0 or more, got " + vms);
        InvalidInput.require(diskBytes == null || diskBytes >= 0, "quota disk must be 0 or more, got " + diskBytes);
    }

    /** Without a disk limit. */
    public Quota(Integer vcpus, Long memoryBytes, Integer vms) {
        this(vcpus, memoryBytes, vms, null);
    }

    /** What a project holds now: VMs not deleted, their vCPUs and memory, and the sizes of its volumes. */
    public record Usage(long vcpus, long memoryBytes, long vms, long diskBytes) {
        public static final Usage ZERO = new Usage(0, 0, 0, 0);

        public Usage(long vcpus, long memoryBytes, long vms) {
            this(vcpus, memoryBytes, vms, 0);
        }

        public Usage withDisk(long bytes) {
            return new Usage(vcpus, memoryBytes, vms, bytes);
        }
    }

    /** Why a new VM of {@code asked} does not fit, as the first limit it breaks. */
    public record Excess(String resource, long used, long asked, long limit) {
        public String message(String project) {
            boolean memory = resource.equals("memory") || resource.equals("disk");
            return "project " + project + " is over its " + resource + " quota: " + show(memory, used) + " used + "
                    + show(memory, asked) + " asked > " + show(memory, limit) + " limit";
        }

        /** The figures a 422 carries: project, resource, used, asked, limit (memory and disk in bytes). */
        public Map<String, Object> figures(String project) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("project", project);
            out.put("resource", resource);
            out.put("used", used);
            out.put("asked", asked);
            out.put("limit", limit);
            return out;
        }

        private static String show(boolean memory, long v) {
            return memory ? Sizes.format(v) : Long.toString(v);
        }
    }

    /** The first limit a new VM of {@code spec} would break, given {@code used}; empty when it fits. */
    public Optional<Excess> excess(Usage used, VmSpec spec) {
        if (vms != null && used.vms() + 1 > vms) return Optional.of(new Excess("vms", used.vms(), 1, vms));
        if (vcpus != null && used.vcpus() + spec.vcpus() > vcpus) return Optional.of(new Excess("vcpus", used.vcpus(), spec.vcpus(), vcpus));
        if (memoryBytes != null && used.memoryBytes() + spec.memoryBytes() > memoryBytes) {
            return Optional.of(new Excess("memory", used.memoryBytes(), spec.memoryBytes(), memoryBytes));
        }
        return Optional.empty();
    }

    /** The disk limit {@code askedBytes} more of volumes would break, given {@code used}; empty when they fit. */
    public Optional<Excess> diskExcess(Usage used, long askedBytes) {
        if (diskBytes != null && used.diskBytes() + askedBytes > diskBytes) {
            return Optional.of(new Excess("disk", used.diskBytes(), askedBytes, diskBytes));
        }
        return Optional.empty();
    }

    /** This quota with the limits {@code text} names replaced ({@code vcpus=8,memory=16G}; {@code KEY=none} lifts one). */
    public Quota with(String text) {
        InvalidInput.require(text != null && !text.isBlank(), "quota must be written vcpus=N,memory=SIZE,vms=N,disk=SIZE (any of them), got ''");
        if (text.strip().equals("none")) return NONE;
        Map<String, String> given = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            InvalidInput.require(eq > 0, "quota must be written vcpus=N,memory=SIZE,vms=N,disk=SIZE (any of them), got '" + Strings.printable(text) + "'");
            String key = part.substring(0, eq).strip(), value = part.substring(eq + 1).strip();
            InvalidInput.require(key.equals("vcpus") || key.equals("memory") || key.equals("vms") || key.equals("disk"),
                    "quota keys are vcpus, memory, vms and disk, got '" + Strings.printable(key) + "'");
            InvalidInput.require(given.put(key, value) == null, "quota names " + key + " twice");
        }
        Integer c = vcpus, n = vms;
        Long m = memoryBytes, d = diskBytes;
        if (given.containsKey("vcpus")) c = count("vcpus", given.get("vcpus"));
        if (given.containsKey("vms")) n = count("vms", given.get("vms"));
        if (given.containsKey("memory")) m = given.get("memory").equals("none") ? null : Sizes.parse("quota memory", given.get("memory"));
        if (given.containsKey("disk")) d = given.get("disk").equals("none") ? null : Sizes.parse("quota disk", given.get("disk"));
        return new Quota(c, m, n, d);
    }

    public static Quota parse(String text) {
        return NONE.with(text);
    }

    private static Integer count(String key, String value) {
        if (value.equals("none")) return null;
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInput("quota " + key + " must be a whole number or none, got '" + Strings.printable(value) + "'");
        }
    }
}
