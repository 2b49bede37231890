package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code polyvisor ha status|settings|fence-agent}: high availability (see docs/HA.md). */
@Command(name = "ha", description = "High availability: status, admission-control settings, fence agents.",
        subcommands = {HaCommands.Status.class, HaCommands.Settings.class, HaCommands.FenceAgent.class})
final class HaCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "status", description = "Hosts' health, protected VMs and their standbys, reserved capacity, recent failovers.")
    static final class Status implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode s = cli.client().get("/api/v1/ha/status");
            if (cli.json()) {
                cli.printJson(s);
                return;
            }
            var out = cli.out();
            out.println("Tolerate host failures: " + s.path("settings").path("tolerate_host_failures").asInt()
                    + "   fence retry: " + s.path("settings").path("fence_retry_seconds").asInt() + " s");
            var a = s.path("admission");
            out.println("Admission: " + (a.path("ok").asBoolean()
                    ? "ok, reserved " + a.path("reserved_cpus").asInt() + " vCPU and " + Views.bytes(a.path("reserved_memory_bytes"))
                      + (a.path("worst_case").isEmpty() ? "" : " (worst case: " + join(a.path("worst_case")) + " failing)")
                    : "NOT MET: " + a.path("reason").asText()));
            out.println();
            var hosts = new Table("HOST", "HEALTH", "PHI", "HEARTBEAT", "STATE", "FENCE AGENT", "DETAIL");
            for (var h : s.path("hosts")) {
                var age = h.path("heartbeat_age_ms");
                hosts.row(h.path("name").asText(), h.path("health").asText(), String.valueOf(h.path("phi").asDouble()),
                        age.isNumber() ? String.format(java.util.Locale.ROOT, "%.1f s ago", age.asLong() / 1000.0) : "never",
                        h.path("state").asText(), h.path("fence_methods").isEmpty() ? "-" : join(h.path("fence_methods")),
                        h.path("detail").isNull() ? "" : h.path("detail").asText());
            }
            out.print(hosts.render());
            out.println();
            var vms = new Table("VM", "PROTECTION", "PRIORITY", "HOST", "STATE", "STANDBY", "STANDBY HOST", "STANDBY STATE");
            for (var v : s.path("protected_vms")) {
                var sb = v.path("standby");
                vms.row(v.path("name").asText(), v.path("protection").asText(), v.path("priority").asText(), v.path("host").asText("-"),
                        v.path("state").asText(), sb.isNull() || sb.isMissingNode() ? "-" : sb.path("name").asText(),
                        sb.isNull() || sb.isMissingNode() ? "-" : sb.path("host").asText("-"),
                        sb.isNull() || sb.isMissingNode() ? "-" : sb.path("state").asText());
            }
            out.print(vms.size() == 0 ? "No protected VMs.\n" : vms.render());
            for (var v : s.path("protected_vms")) {
                if (v.path("unprotected").isTextual()) out.println(v.path("name").asText() + " is UNPROTECTED: " + v.path("unprotected").asText());
            }
            if (!s.path("recent_failovers").isEmpty()) {
                out.println();
                var f = new Table("HOST", "DECLARED AFTER", "FENCED AFTER", "OUTCOME", "PROMOTED", "RESTARTED");
                for (var r : s.path("recent_failovers")) {
                    f.row(r.path("host").asText(), r.path("declared_after_ms").asLong() + " ms",
                            r.path("fenced_after_ms").asLong() < 0 ? "-" : r.path("fenced_after_ms").asLong() + " ms",
                            r.path("outcome").asText(), join(r.path("promoted")), join(r.path("restarted")));
                }
                out.print(f.render());
            }
        }
    }

    @Command(name = "settings", description = "Show or change HA settings (admission control: tolerated host failures).")
    static final class Settings implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--tolerate-host-failures", paramLabel = "N", description = "Host failures the protected VMs must survive (0-8, 0 = off).")
        Integer tolerate;

        @Option(names = "--fence-retry-seconds", paramLabel = "S", description = "Retry a failed fence after S seconds (5-3600).")
        Integer retry;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode s;
            if (tolerate == null && retry == null) {
                s = cli.client().get("/api/v1/ha/settings");
            } else {
                Map<String, Object> body = new LinkedHashMap<>();
                if (tolerate != null) body.put("tolerate_host_failures", tolerate);
                if (retry != null) body.put("fence_retry_seconds", retry);
                s = put(cli, "/api/v1/ha/settings", body);
            }
            cli.print(s, Views.fields(s));
        }
    }

    @Command(name = "fence-agent", description = "Show or set the fence agent of a host (a fence_* program and its key=value options).")
    static final class FenceAgent implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "HOST")
        String host;

        @Option(names = "--agent", paramLabel = "PROGRAM", description = "fence_* program name, or absolute path to one.")
        String agent;

        @Option(names = "--option", paramLabel = "KEY=VALUE", description = "Agent option, repeatable (ip=..., username=..., password=..., plug=...).")
        Map<String, String> options = new LinkedHashMap<>();

        @Option(names = "--remove", description = "Remove the host's fence agent.")
        boolean remove;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            if (remove && agent != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--remove and --agent exclude each other");
            String path = "/api/v1/ha/hosts/" + ApiClient.encode(host) + "/fence-agent";
            var body = new java.util.HashMap<String, Object>();
            body.put("agent", null);
            JsonNode s = remove ? put(cli, path, body)
                    : agent == null ? cli.client().get(path) : put(cli, path, Map.of("agent", agent, "options", options));
            cli.print(s, Views.fields(s));
        }
    }

    static JsonNode put(Cli cli, String path, Object body) {
        return cli.client().put(path, body);
    }

    /** The {@code ha} block of a VM, one line: {@code primary; standby web-standby on h3 (running)}. */
    static String role(JsonNode ha) {
        String role = ha.path("role").asText();
        JsonNode other = ha.path(role.equals("primary") ? "standby" : "primary");
        String otherRole = role.equals("primary") ? "standby" : "primary";
        String unprotected = ha.path("unprotected").isTextual() ? "; UNPROTECTED: " + ha.path("unprotected").asText() : "";
        if (other.isNull() || other.isMissingNode()) return role + "; no " + otherRole + " yet" + unprotected;
        return role + "; " + otherRole + " " + other.path("name").asText() + " on " + other.path("host").asText("-")
                + " (" + other.path("state").asText() + ")" + unprotected;
    }

    private static String join(JsonNode arr) {
        var parts = new java.util.ArrayList<String>();
        arr.forEach(n -> parts.add(n.asText()));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
