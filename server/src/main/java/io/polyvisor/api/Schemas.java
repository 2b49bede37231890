package io.polyvisor.api;

import java.util.List;
import java.util.Map;

import static io.polyvisor.api.OpenApi.map;
import static io.polyvisor.api.OpenApi.ref;

/** JSON Schemas (OpenAPI 3.1 dialect) of the bodies in {@link Views}, {@link CreateVmBody} and {@link Problems}. */
final class Schemas {
    private Schemas() {}

    private static final Map<String, Object> STR = map("type", "string");
    private static final Map<String, Object> NSTR = map("type", List.of("string", "null"));
    private static final Map<String, Object> INT = map("type", "integer");
    private static final Map<String, Object> LABELS = map("type", "object", "additionalProperties", STR);
    private static final Map<String, Object> USAGE = map("type", List.of("object", "null"),
            "properties", map("cpu_cores", map("type", "number"), "memory_bytes", INT));

    static final Map<String, Object> ALL = map(
            // high availability (ha helper)
            "HaSettings", obj(map("tolerate_host_failures", INT, "fence_retry_seconds", INT)),
            "FenceAgent", obj(map("host", STR, "agent", NSTR, "options", LABELS)),
            "HaStatus", map("type", "object", "description", "settings, hosts (health, phi, fence methods), protected_vms"
                    + " (with standby instance), admission (ok, reason, reserved capacity), recent_failovers"),
            "Health", obj(map("status", STR)),
            "Driver", obj(map("name", STR, "schemes", arr(STR), "capabilities", arr(STR))),
            "Host", obj(map("name", STR, "uri", STR, "driver", NSTR,
                    "state", map("enum", List.of("connected", "disconnected", "maintenance", "failed")),
                    "cpus", INT, "memory_bytes", INT, "labels", LABELS, "vm_count", INT, "capabilities", arr(STR), "usage", USAGE)),
            "AddHost", obj(map("uri", STR, "name", STR, "labels", LABELS), "uri"),
            "Maintenance", obj(map("enabled", map("type", "boolean")), "enabled"),
            "Plan", obj(map("mode", map("enum", List.of("balance", "consolidate")), "imbalance_before", map("type", "number"),
                    "imbalance_after", map("type", "number"), "moves", arr(obj(map("vm", STR, "vm_id", STR, "from", STR, "to", STR,
                            "kind", map("enum", List.of("overload", "evacuate", "imbalance", "consolidate")), "reason", STR,
                            "cost_seconds", map("type", "number"), "task", NSTR, "refused", NSTR))),
                    "power_down", arr(STR), "notes", arr(STR))),
            "ApplyPlan", obj(map("mode", map("enum", List.of("balance", "consolidate")))),
            "BalanceSettings", obj(map("mode", map("enum", List.of("balance", "consolidate")),
                    "automation", map("enum", List.of("manual", "partial", "full")))),
            "PlacementExplanation", obj(map("vm", STR, "decision", obj(map("host", NSTR, "reason", STR,
                    "excluded_by", map("type", "object", "additionalProperties", INT))),
                    "hosts", arr(obj(map("host", STR, "excluded_by", NSTR, "reason", NSTR, "score", map("type", "number"),
                            "scores", map("type", "object", "additionalProperties", map("type", "number"))))))),
            "Vm", obj(map("id", map("type", "string", "format", "uuid"), "name", STR,
                    "state", map("enum", List.of("pending", "stopped", "running", "paused", "migrating", "failed", "unknown", "deleted")),
                    "state_detail", NSTR, "intent", map("enum", List.of("running", "stopped", "paused", "deleted")),
                    "host", NSTR, "vcpus", INT, "memory_bytes", INT,
                    "boot", map("type", "object", "properties", map("type", map("enum", List.of("none", "kernel", "disk")),
                            "kernel", STR, "initrd", NSTR, "cmdline", STR, "image", STR)),
                    "protection", map("enum", List.of("none", "restart", "standby")), "priority", INT, "labels", LABELS,
                    "endpoints", arr(obj(map("guest_port", INT, "address", STR))), "usage", USAGE)),
            "CreateVm", obj(map("name", map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"),
                    "vcpus", map("type", "integer", "minimum", 1, "maximum", 512, "default", 1),
                    "memory", map("type", "string", "examples", List.of("256M", "4G")),
                    "memory_bytes", map("type", "integer", "minimum", 16L << 20, "maximum", 4L << 40),
                    "boot", obj(map("kernel", STR, "initrd", STR, "cmdline", STR, "image", STR)),
                    "host", STR, "protection", map("enum", List.of("none", "restart", "standby")),
                    "priority", map("type", "integer", "minimum", 1, "maximum", 5), "labels", LABELS,
                    "expose", arr(map("type", "integer", "minimum", 1, "maximum", 65535)),
                    "start", map("type", "boolean", "default", true)), "name"),
            "Created", obj(map("vm", ref("Vm"), "task", ref("Task"))),
            "StopVm", obj(map("force", map("type", "boolean", "default", false))),
            "MigrateVm", obj(map("to", STR), "to"),
            "Empty", obj(map()),
            "Task", obj(map("id", STR, "kind", map("enum", List.of("create", "start", "stop", "reboot", "suspend", "resume",
                            "delete", "migrate", "restart", "fence")), "vm_id", NSTR, "vm_name", NSTR, "target", NSTR,
                    "status", map("enum", List.of("queued", "running", "succeeded", "failed", "cancelled")), "attempts", INT,
                    "error", NSTR, "created", map("type", "string", "format", "date-time"),
                    "updated", map("type", "string", "format", "date-time"), "result", LABELS)),
            "Event", obj(map("seq", INT, "at", map("type", "string", "format", "date-time"), "type", STR, "subject", STR, "message", STR)),
            "OpenApi", map("type", "object"),
            "Problem", obj(map("type", STR, "title", STR, "status", INT, "detail", STR, "instance", STR,
                    "excluded_by", map("type", "object", "additionalProperties", INT))));

    private static Map<String, Object> obj(Map<String, Object> props, String... required) {
        var m = map("type", "object", "additionalProperties", false, "properties", props);
        if (required.length > 0) m.put("required", List.of(required));
        return m;
    }

    private static Map<String, Object> arr(Map<String, Object> items) {
        return map("type", "array", "items", items);
    }
}
