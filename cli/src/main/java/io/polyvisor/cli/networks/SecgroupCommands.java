package io.polyvisor.cli.networks;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.ApiClient;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.network.SecurityGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code polyvisor secgroup create|list|show|delete|attach|detach}: security groups (docs/NETWORKS.md). */
@Command(name = "secgroup", description = "Security groups: stateful ingress rules on VMs' private addresses, default deny except from the same group.",
        subcommands = {SecgroupCommands.Create.class, SecgroupCommands.ListGroups.class, SecgroupCommands.Show.class,
                SecgroupCommands.Delete.class, SecgroupCommands.Attach.class, SecgroupCommands.Detach.class})
public final class SecgroupCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "create", description = "Create a group: each --allow with its --from (one --from applies to every --allow).")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--allow", paramLabel = "PROTO:PORT[-PORT]", description = "tcp:80, tcp:8000-8080, udp:53 or icmp; repeatable.")
        List<String> allows;
        @Option(names = "--from", paramLabel = "CIDR|secgroup:NAME", description = "Where the allowed traffic may come from; repeatable.")
        List<String> froms;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().post("/api/v1/secgroups", body()));
        }

        Map<String, Object> body() {
            var a = allows == null ? List.<String>of() : allows;
            var f = froms == null ? List.<String>of() : froms;
            InvalidInput.require(f.size() == a.size() || (f.size() == 1 && !a.isEmpty()),
                    "give one --from for each --allow, or one --from for all; got " + a.size() + " --allow and " + f.size() + " --from");
            var rules = new ArrayList<Map<String, String>>();
            for (int i = 0; i < a.size(); i++) {
                String from = f.size() == 1 ? f.get(0) : f.get(i);
                SecurityGroup.Rule.parse(a.get(i), from);
                rules.add(Map.of("allow", a.get(i), "from", from));
            }
            new SecurityGroup(name, List.of());
            return Map.of("name", name, "rules", rules);
        }
    }

    @Command(name = "list", description = "List security groups.")
    static final class ListGroups implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode groups = cli.client().get("/api/v1/secgroups");
            var t = new Table("NAME", "RULES");
            for (JsonNode g : groups) t.row(g.path("name").asText(), rules(g));
            cli.print(groups, t);
        }
    }

    @Command(name = "show", description = "Show a group's rules and members.")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().get("/api/v1/secgroups/" + ApiClient.encode(name)));
        }
    }

    @Command(name = "delete", description = "Delete a group (refused while it has members).")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode g = cli.client().delete("/api/v1/secgroups/" + ApiClient.encode(name));
            if (cli.json()) cli.printJson(g);
            else cli.out().println("security group " + name + " deleted");
        }
    }

    @Command(name = "attach", description = "Make a VM a member: its private addresses accept only what the group allows.")
    static final class Attach implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VM")
        String vm;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().post("/api/v1/secgroups/" + ApiClient.encode(name) + "/members", Map.of("vm", vm)));
        }
    }

    @Command(name = "detach", description = "Take a VM out of a group.")
    static final class Detach implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VM")
        String vm;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().delete("/api/v1/secgroups/" + ApiClient.encode(name) + "/members/" + ApiClient.encode(vm)));
        }
    }

    private static String rules(JsonNode g) {
        var out = new ArrayList<String>();
        for (JsonNode r : g.path("rules")) out.add(r.path("allow").asText() + " from " + r.path("from").asText());
        return out.isEmpty() ? "(members only)" : String.join(", ", out);
    }

    static void show(Cli cli, JsonNode g) {
        if (cli.json()) {
            cli.printJson(g);
            return;
        }
        cli.out().println("Security group " + g.path("name").asText() + "   rules: " + rules(g));
        var members = new ArrayList<String>();
        g.path("members").forEach(m -> members.add(m.asText()));
        cli.out().println("Members: " + (members.isEmpty() ? "none" : String.join(", ", members)));
    }
}
