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
@Command(name = "coord", description = "Guest coordination: each group's members, key-value store, leases with fencing tokens and messages.",
        subcommands = {CoordCommands.Kv.class, CoordCommands.Leases.class, CoordCommands.Peers.class, CoordCommands.Messages.class,
                CoordCommands.Settings.class})
public final class CoordCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    /**
     * {@code path} with query parameters {@code name=value} pairs, those with a null value left out, values
     * percent-encoded.
     */
    static String query(String path, Object... pairs) {
        var b = new StringBuilder(path);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) continue;
            b.append(b.indexOf("?") < 0 ? '?' : '&').append(pairs[i]).append('=').append(ApiClient.encode(pairs[i + 1].toString()));
        }
        return b.toString();
    }

    /**
     * A group command's first argument and {@code --project}: a group is the VMs of one project labelled group=NAME,
     * in the default project when {@code --project} is not given.
     */
    static final class GroupArg {
        @Parameters(index = "0", paramLabel = "GROUP")
        String name;
        @Option(names = "--project", paramLabel = "PROJECT", description = "The group's project (default: default).")
        String project;

        /** {@code /api/v1/coord/GROUP} + {@code tail}, with the project and {@code query} pairs, the group checked as the server would. */
        String path(String tail, Object... query) {
            Object[] pairs = new Object[query.length + 2];
            pairs[0] = "project";
            pairs[1] = project;
            System.arraycopy(query, 0, pairs, 2, query.length);
            return query("/api/v1/coord/" + CoordNames.group(name) + tail, pairs);
        }

        /** A key's path under the group, each segment percent-encoded, after checking the key as the server would. */
        String kv(String key, Object... query) {
            new KeyPath(key);
            return path("/kv/" + Arrays.stream(key.split("/")).map(ApiClient::encode).collect(Collectors.joining("/")), query);
        }
    }

    static Table kvTable(JsonNode... entries) {
        var t = new Table("KEY", "REVISION", "VALUE");
        for (JsonNode e : entries) t.row(e.path("key").asText(), e.path("revision").asText(), e.path("value").asText());
        return t;
    }

    @Command(name = "kv", description = "A group's keys: get, put (with --cas), delete, list; get and list watch with --index and --wait.",
            subcommands = {Kv.Get.class, Kv.Put.class, Kv.Delete.class, Kv.ListKeys.class})
    static final class Kv implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(Cli.of(spec).out());
        }

        @Command(name = "get", description = "Show a key: value and revision; with --wait, watch it: answer once it changed after --index.")
        static final class Get implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "KEY")
            String key;
            @picocli.CommandLine.Mixin
            Watch watch = new Watch();

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode e = cli.client().get(group.kv(key, watch.query()));
                cli.print(e, kvTable(e));
            }
        }

        @Command(name = "put", description = "Write a key; --cas REVISION writes only if the key is at that revision (0: only if absent).")
        static final class Put implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "KEY")
            String key;
            @Parameters(index = "2", paramLabel = "VALUE")
            String value;
            @Option(names = "--cas", paramLabel = "REVISION", description = "Compare-and-set: the key's current revision, 0 to create only.")
            Long cas;
            @picocli.CommandLine.Mixin
            Fence fence = new Fence();

            @Override
            public void run() {
                CoordNames.value(value);
                var cli = Cli.of(spec);
                JsonNode e = cli.client().put(group.kv(key, "cas", cas), Map.of("value", value), fence.headers());
                cli.print(e, kvTable(e));
            }
        }

        @Command(name = "delete", description = "Delete a key; --cas REVISION deletes only if the key is at that revision.")
        static final class Delete implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "KEY")
            String key;
            @Option(names = "--cas", paramLabel = "REVISION")
            Long cas;
            @picocli.CommandLine.Mixin
            Fence fence = new Fence();

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode e = cli.client().delete(group.kv(key, "cas", cas), fence.headers());
                cli.print(e, kvTable(e));
            }
        }

        @Command(name = "list", description = "List a group's live keys, optionally under a prefix; with --wait, once a key under it changed after --index.")
        static final class ListKeys implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Option(names = "--prefix", paramLabel = "PREFIX")
            String prefix;
            @picocli.CommandLine.Mixin
            Watch watch = new Watch();

            @Override
            public void run() {
                var cli = Cli.of(spec);
                Object[] w = watch.query();
                JsonNode l = cli.client().get(group.path("/kv", "prefix", prefix == null ? null : KeyPath.prefix(prefix), w[0], w[1], w[2], w[3]));
                JsonNode[] entries = new JsonNode[l.path("entries").size()];
                for (int i = 0; i < entries.length; i++) entries[i] = l.path("entries").get(i);
                if (cli.json()) cli.printJson(l);
                else {
                    cli.out().print(kvTable(entries).render());
                    cli.out().println("revision " + l.path("revision").asText() + " (pass it as --index to watch for the next change)");
                }
            }
        }

        /**
         * {@code --fence LEASE:TOKEN}: sent as {@code If-Match-Token}, so the write is refused (409) unless that lease's
         * current fencing token is TOKEN; checked here as the server would.
         */
        static final class Fence {
            @Option(names = "--fence", paramLabel = "LEASE:TOKEN", description = "Write only while lease LEASE's fencing token is TOKEN (If-Match-Token).")
            String fence;

            Map<String, String> headers() {
                if (fence == null) return Map.of();
                io.polyvisor.coordination.LeaseRules.parseFence(fence);
                return Map.of("If-Match-Token", fence);
            }
        }

        /**
         * {@code --index REVISION --wait SECONDS}: a watch, answered once the key (or a key under the prefix) changed after
         * that revision, or after the wait with what is there. The server checks both (wait 0-60, index needed with it).
         */
        static final class Watch {
            @Option(names = "--index", paramLabel = "REVISION", description = "A revision from an earlier answer (with --wait).")
            Long index;
            @Option(names = "--wait", paramLabel = "SECONDS", description = "Wait up to this long (0-60) for a change after --index.")
            Integer wait;

            Object[] query() {
                return new Object[] {"index", index, "wait", wait};
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

    @Command(name = "leases", description = "Leases: holder, fencing token, expiry; acquire one for a member VM, release one.",
            subcommands = {Leases.ListLeases.class, Leases.Show.class, Leases.Acquire.class, Leases.Release.class})
    static final class Leases implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(Cli.of(spec).out());
        }

        static Table table(JsonNode leases) {
            var t = new Table("PROJECT", "GROUP", "NAME", "HOLDER", "TOKEN", "TTL", "EXPIRES");
            for (JsonNode l : leases) {
                t.row(l.path("project").asText(), l.path("group").asText(), l.path("name").asText(), text(l.path("holder")), l.path("token").asText(),
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
            @Option(names = "--project", paramLabel = "PROJECT", description = "The group's project (default: default).")
            String project;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode l = cli.client().get(group == null ? query("/api/v1/coord/leases", "project", project)
                        : query("/api/v1/coord/" + CoordNames.group(group) + "/leases", "project", project));
                cli.print(l, table(l));
            }
        }

        @Command(name = "show", description = "Show one lease: holder, fencing token, expiry.")
        static final class Show implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "NAME")
            String name;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode l = cli.client().get(group.path("/leases/" + CoordNames.leaseName(name)));
                cli.print(l, table(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(l)));
            }
        }

        @Command(name = "acquire", description = "Acquire or renew a lease for a member VM of the group (--holder): the answer's token fences its writes.")
        static final class Acquire implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "NAME")
            String name;
            @Option(names = "--holder", required = true, paramLabel = "VM", description = "The member VM that holds it (name or UUID).")
            String holder;
            @Option(names = "--ttl", paramLabel = "SECONDS", description = "How long it lasts unless renewed (1-600, default 15).")
            Integer ttl;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                var body = new java.util.LinkedHashMap<String, Object>();
                body.put("holder", holder);
                if (ttl != null) body.put("ttl_s", CoordNames.ttl(ttl));
                JsonNode l = cli.client().post(group.path("/leases/" + CoordNames.leaseName(name)), body);
                cli.print(l, table(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(l)));
            }
        }

        @Command(name = "release", description = "Release a lease whoever holds it (its fencing token stays used).")
        static final class Release implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "NAME")
            String name;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode l = cli.client().delete(group.path("/leases/" + CoordNames.leaseName(name)));
                cli.print(l, table(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(l)));
            }
        }
    }

    @Command(name = "peers", description = "A group's members: host, state and private-network addresses; --wait to watch for a change.")
    static final class Peers implements Runnable {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        GroupArg group = new GroupArg();
        @Option(names = "--index", paramLabel = "INDEX", description = "A membership version from an earlier answer (with --wait).")
        String index;
        @Option(names = "--wait", paramLabel = "SECONDS", description = "Wait up to this long (0-60) for the membership to differ from --index.")
        Integer wait;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode v = cli.client().get(group.path("/peers", "index", index, "wait", wait));
            var t = new Table("NAME", "HOST", "STATE", "ADDRESSES");
            for (JsonNode m : v.path("peers")) {
                var addresses = new java.util.ArrayList<String>();
                for (JsonNode a : m.path("addresses")) addresses.add(a.path("network").asText() + "=" + a.path("ip").asText());
                t.row(m.path("name").asText(), m.path("host").isNull() ? "-" : m.path("host").asText(), m.path("state").asText(),
                        addresses.isEmpty() ? "-" : String.join(",", addresses));
            }
            if (cli.json()) cli.printJson(v);
            else {
                cli.out().print(t.render());
                cli.out().println("index " + v.path("index").asText());
            }
        }
    }

    @Command(name = "messages", description = "A group's topics: publish a message as an operator, read after a seq.",
            subcommands = {Messages.Publish.class, Messages.Read.class})
    static final class Messages implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(Cli.of(spec).out());
        }

        static Table table(JsonNode... messages) {
            var t = new Table("SEQ", "FROM", "AT", "BODY");
            for (JsonNode m : messages) {
                t.row(m.path("seq").asText(), m.path("from").isMissingNode() || m.path("from").isNull() ? "(operator)" : m.path("from").asText(),
                        m.path("at").asText(), m.path("body").asText());
            }
            return t;
        }


        @Command(name = "publish", description = "Publish a message to a topic of a group (its members read it with pvctl).")
        static final class Publish implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "TOPIC")
            String topic;
            @Parameters(index = "2", paramLabel = "BODY")
            String body;

            @Override
            public void run() {
                CoordNames.messageBody(body);
                var cli = Cli.of(spec);
                JsonNode m = cli.client().post(group.path("/messages/" + CoordNames.topic(topic)), Map.of("body", body));
                cli.print(m, table(m));
            }
        }

        @Command(name = "read", description = "Read a topic's messages after a seq; --wait for the next one.")
        static final class Read implements Runnable {
            @Spec
            CommandSpec spec;
            @picocli.CommandLine.Mixin
            GroupArg group = new GroupArg();
            @Parameters(index = "1", paramLabel = "TOPIC")
            String topic;
            @Option(names = "--after", paramLabel = "SEQ", description = "Only messages with a larger seq (default 0).")
            Long after;
            @Option(names = "--wait", paramLabel = "SECONDS", description = "Wait up to this long (0-60) for the first message after --after.")
            Integer wait;
            @Option(names = "--limit", paramLabel = "N", description = "At most this many (1-100, default 100).")
            Integer limit;

            @Override
            public void run() {
                var cli = Cli.of(spec);
                JsonNode v = cli.client().get(group.path("/messages/" + CoordNames.topic(topic), "after", after, "wait", wait, "limit", limit));
                JsonNode[] list = new JsonNode[v.path("messages").size()];
                for (int i = 0; i < list.length; i++) list[i] = v.path("messages").get(i);
                if (cli.json()) cli.printJson(v);
                else {
                    cli.out().print(table(list).render());
                    cli.out().println("last seq " + v.path("last_seq").asText() + " (pass it as --after to read on)");
                }
            }
        }
    }
}
