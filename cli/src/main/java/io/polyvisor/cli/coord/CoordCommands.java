package io.polyvisor.cli.coord;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.ApiClient;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table;
import io.polyvisor.coordination.CoordNames;
import io.polyvisor.coordination.KeyPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code polyvisor coord kv|leases ...}: the operator's view of guest coordination (docs/COORDINATION.md), through
 * {@code /api/v1/coord/...}. A group is the value of the VMs' label {@code group}.
 */
@Command(name = "coord", description = "Guest coordination: each group's key-value store and leases with fencing tokens.",
        subcommands = {CoordCommands.Kv.class, CoordCommands.Leases.class, CoordCommands.Settings.class})
public final class CoordCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    /** The key's path under the group, each segment percent-encoded, after checking it as the server would. */
    static String kvPath(String group, String key) {
        CoordNames.group(group);
        new KeyPath(key);
        return "/api/v1/coord/" + group + "/kv/" + Arrays.stream(key.split("/")).map(ApiClient::encode).collect(Collectors.joining("/"));
    }

    static Table kvTable(JsonNode... entries) {
        var t = new Table("KEY", "REVISION", "VALUE");
        for (JsonNode e : entries) t.row(e.path("key").asText(), e.path("revision").asText(), e.path("value").asText());
        return t;
    }

    @Command(name = "kv", description = "A group's keys: get, put (with --cas), delete, list.",
            subcommands = {Kv.Get.class, Kv.Put.class, Kv.Delete.class, Kv.ListKeys.class})
    static final class Kv implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(Cli.of(spec).out());
        }

        @Command(name = "get", description = "Show a key: value and revision.")
        static final class Get implements Runnable {
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", paramLabel = "GROUP")
            String group;
            @Parameters(index = "1", paramLabel = "KEY")
            String key;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode e = cli.client().get(kvPath(group, key));
                cli.print(e, kvTable(e));
            }
        }

        @Command(name = "put", description = "Write a key; --cas REVISION writes only if the key is at that revision (0: only if absent).")
        static final class Put implements Runnable {
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", paramLabel = "GROUP")
            String group;
            @Parameters(index = "1", paramLabel = "KEY")
            String key;
            @Parameters(index = "2", paramLabel = "VALUE")
            String value;
            @Option(names = "--cas", paramLabel = "REVISION", description = "Compare-and-set: the key's current revision, 0 to create only.")
            Long cas;

            @Override
            public void run() {
                CoordNames.value(value);
                var cli = Cli.of(spec);
                JsonNode e = cli.client().put(kvPath(group, key) + (cas == null ? "" : "?cas=" + cas), Map.of("value", value));
                cli.print(e, kvTable(e));
            }
        }

        @Command(name = "delete", description = "Delete a key; --cas REVISION deletes only if the key is at that revision.")
        static final class Delete implements Runnable {
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", paramLabel = "GROUP")
            String group;
            @Parameters(index = "1", paramLabel = "KEY")
            String key;
            @Option(names = "--cas", paramLabel = "REVISION")
            Long cas;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode e = cli.client().delete(kvPath(group, key) + (cas == null ? "" : "?cas=" + cas));
                cli.print(e, kvTable(e));
            }
        }

        @Command(name = "list", description = "List a group's live keys, optionally under a prefix.")
        static final class ListKeys implements Runnable {
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", paramLabel = "GROUP")
            String group;
            @Option(names = "--prefix", paramLabel = "PREFIX")
            String prefix;

            @Override
            public void run() {
                CoordNames.group(group);
                var cli = Cli.of(spec);
                JsonNode l = cli.client().get("/api/v1/coord/" + group + "/kv" + (prefix == null ? "" : "?prefix=" + ApiClient.encode(KeyPath.prefix(prefix))));
                JsonNode[] entries = new JsonNode[l.path("entries").size()];
                for (int i = 0; i < entries.length; i++) entries[i] = l.path("entries").get(i);
                cli.print(l, kvTable(entries));
            }
        }
    }

    @Command(name = "settings", description = "Show the guest API's rate limit per VM, or change it (--per-second, --burst).")
    static final class Settings implements Runnable {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Option(names = "--per-second", paramLabel = "N", description = "Requests a second each VM may make on average (1-100000).")
        Double perSecond;
        @picocli.CommandLine.Option(names = "--burst", paramLabel = "N", description = "How many at once after a quiet spell (1-100000).")
        Integer burst;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode r;
            if (perSecond == null && burst == null) {
                r = cli.client().get("/api/v1/coord/settings");
            } else {
                var body = new java.util.LinkedHashMap<String, Object>();
                if (perSecond != null) body.put("per_second", perSecond);
                if (burst != null) body.put("burst", burst);
                r = cli.client().put("/api/v1/coord/settings", body);
            }
            if (cli.json()) cli.printJson(r);
            else cli.out().println("guest API rate limit per VM: " + r.path("per_second").asDouble() + " requests a second, bursts of "
                    + r.path("burst").asInt());
        }
    }

    @Command(name = "leases", description = "Leases: holder, fencing token, expiry; release one.",
            subcommands = {Leases.ListLeases.class, Leases.Release.class})
    static final class Leases implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(Cli.of(spec).out());
        }

        static Table table(JsonNode leases) {
            var t = new Table("GROUP", "NAME", "HOLDER", "TOKEN", "TTL", "EXPIRES");
            for (JsonNode l : leases) {
                t.row(l.path("group").asText(), l.path("name").asText(), text(l.path("holder")), l.path("token").asText(),
                        l.path("ttl_s").asText() + "s", text(l.path("expires_at")));
            }
            return t;
        }

        private static String text(JsonNode n) {
            return n.isMissingNode() || n.isNull() ? "-" : n.asText();
        }

        @Command(name = "list", description = "List the leases of one group, or of every group.")
        static final class ListLeases implements Runnable {
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", arity = "0..1", paramLabel = "GROUP")
            String group;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode l = cli.client().get(group == null ? "/api/v1/coord/leases" : "/api/v1/coord/" + CoordNames.group(group) + "/leases");
                cli.print(l, table(l));
            }
        }

        @Command(name = "release", description = "Release a lease whoever holds it (its fencing token stays used).")
        static final class Release implements Runnable {
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", paramLabel = "GROUP")
            String group;
            @Parameters(index = "1", paramLabel = "NAME")
            String name;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode l = cli.client().delete("/api/v1/coord/" + CoordNames.group(group) + "/leases/" + CoordNames.leaseName(name));
                cli.print(l, table(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(l)));
            }
        }
    }
}
