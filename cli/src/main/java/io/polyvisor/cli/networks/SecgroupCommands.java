package io.polyvisor.cli.networks;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.ApiClient;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Resource;
import io.polyvisor.cli.ResourceCommands;
import io.polyvisor.cli.Table.Column;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.network.SecurityGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code polyvisor secgroup create|rules|rule|list|show|delete|attach|detach}: security groups (docs/NETWORKS.md). */
@Command(name = "secgroup", description = "Security groups: stateful rules on VMs' private addresses; ingress default deny except from the same group, egress open until a group has an egress rule.",
        subcommands = {SecgroupCommands.Create.class, SecgroupCommands.Rules.class, SecgroupCommands.Rule.class, SecgroupCommands.ListGroups.class, SecgroupCommands.Show.class,
                SecgroupCommands.Delete.class, SecgroupCommands.Attach.class, SecgroupCommands.Detach.class})
public final class SecgroupCommands implements Runnable {
    /** Security groups: shown as a group's rules and members, listed with their rules. */
    static final Resource SECGROUPS = new Resource("security group", "/api/v1/secgroups",
            List.of(Column.text("NAME", "name"), Column.text("PROJECT", "project"), new Column("RULES", SecgroupCommands::rules)),
            name -> name);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    /** The rule options of {@code create} and {@code rules}: ingress (--allow with --from) and egress (--egress with --to). */
    static final class RuleOptions {
        @Option(names = "--allow", paramLabel = "PROTO[:PORT[-PORT]]", description = "Ingress: tcp:80, tcp:8000-8080, udp:53, icmp or any; repeatable.")
        List<String> allows;
        @Option(names = "--from", paramLabel = "CIDR|secgroup:NAME", description = "Where each --allow may come from: one for each, or one for all.")
        List<String> froms;
        @Option(names = "--egress", paramLabel = "PROTO[:PORT[-PORT]]", description = "Egress: what members may open (tcp:443, udp:53, icmp, any); repeatable.")
        List<String> egresses;
        @Option(names = "--to", paramLabel = "CIDR|secgroup:NAME", description = "Where each --egress may go: one for each, or one for all.")
        List<String> tos;

        /** The rules as the API takes them, each checked as the server will. */
        List<Map<String, String>> rules() {
            var rules = new ArrayList<Map<String, String>>();
            rules(SecurityGroup.Direction.INGRESS, "--allow", allows, "--from", froms, rules);
            rules(SecurityGroup.Direction.EGRESS, "--egress", egresses, "--to", tos, rules);
            return rules;
        }

        /** Pairs each rule option with its remote (one each, or one for all). */
        private static void rules(SecurityGroup.Direction d, String ruleOption, List<String> given, String remoteOption, List<String> remotes,
                                  List<Map<String, String>> out) {
            var a = given == null ? List.<String>of() : given;
            var f = remotes == null ? List.<String>of() : remotes;
            InvalidInput.require(f.size() == a.size() || (f.size() == 1 && !a.isEmpty()), "give one " + remoteOption + " for each " + ruleOption
                    + ", or one " + remoteOption + " for all; got " + a.size() + " " + ruleOption + " and " + f.size() + " " + remoteOption);
            for (int i = 0; i < a.size(); i++) {
                String remote = f.size() == 1 ? f.get(0) : f.get(i);
                SecurityGroup.Rule.parse(d, a.get(i), remote);
                out.add(Map.of("direction", d.word(), "allow", a.get(i), d.remoteField(), remote));
            }
        }
    }

    /** A command given a group's NAME and rules ({@code create}, {@code rules}); it shows the group the server answers with. */
    abstract static class WithRules implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        RuleOptions rules;

        /** Checks the input and sends it; returns the server's answer. */
        abstract JsonNode send(Cli cli);

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, send(cli));
        }
    }

    @Command(name = "create", description = "Create a group: ingress rules (--allow with --from) and egress rules (--egress with --to). "
            + "Egress is open until the group has an egress rule.")
    static final class Create extends WithRules {
        @Option(names = "--project", paramLabel = "NAME", description = "The project that owns it (default: default); only its VMs join it.")
        String project;

        @Override
        JsonNode send(Cli cli) {
            var body = new java.util.LinkedHashMap<String, Object>();
            new SecurityGroup(name, List.of());
            body.put("name", name);
            body.put("rules", rules.rules());
            if (project != null) body.put("project", io.polyvisor.model.Names.requireName("project", project));
            return cli.client().post(SECGROUPS.path(), body);
        }
    }

    @Command(name = "rules", description = "Replace a group's rules with those given (none given: no rule left, egress open again).")
    static final class Rules extends WithRules {
        @Override
        JsonNode send(Cli cli) {
            return cli.client().put(SECGROUPS.item(name) + "/rules", Map.of("rules", rules.rules()));
        }
    }

    @Command(name = "rule", description = "Add or remove one rule of a group, leaving the others as they are.",
            subcommands = {Rule.Add.class, Rule.Remove.class})
    static final class Rule implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(Cli.of(spec).out());
        }

        /** The one rule given: --allow with --from, or --egress with --to. */
        static Map<String, String> one(RuleOptions options) {
            var rules = options.rules();
            InvalidInput.require(rules.size() == 1, "give exactly one rule: --allow with --from, or --egress with --to; got " + rules.size());
            return rules.getFirst();
        }

        @Command(name = "add", description = "Add one rule after the group's others (refused if it has it already).")
        static final class Add extends WithRules {
            @Override
            JsonNode send(Cli cli) {
                return cli.client().post(SECGROUPS.item(name) + "/rules", one(rules));
            }
        }

        @Command(name = "remove", description = "Remove one rule, given as it was added.")
        static final class Remove extends WithRules {
            @Override
            JsonNode send(Cli cli) {
                return cli.client().post(SECGROUPS.item(name) + "/rules/remove", one(rules));
            }
        }
    }

    @Command(name = "list", description = "List security groups (of your projects).")
    static final class ListGroups extends ResourceCommands.ListAll {
        ListGroups() {
            super(SECGROUPS);
        }
    }

    @Command(name = "show", description = "Show a group's rules and members.")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(SECGROUPS, SecgroupCommands::show);
        }
    }

    @Command(name = "delete", description = "Delete a group (refused while it has members).")
    static final class Delete extends ResourceCommands.DeleteShowingItem {
        Delete() {
            super(SECGROUPS);
        }
    }

    /** The NAME VM parameters of {@code attach} and {@code detach}. */
    static final class Member {
        @Parameters(index = "0", paramLabel = "NAME")
        String group;
        @Parameters(index = "1", paramLabel = "VM")
        String vm;
    }

    @Command(name = "attach", description = "Make a VM a member: its private addresses accept only what the group allows.")
    static final class Attach implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        Member member;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().post(SECGROUPS.item(member.group) + "/members", Map.of("vm", member.vm)));
        }
    }

    @Command(name = "detach", description = "Take a VM out of a group.")
    static final class Detach implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        Member member;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().delete(SECGROUPS.item(member.group) + "/members/" + ApiClient.encode(member.vm)));
        }
    }

    /** A rule of the server's JSON: its direction (ingress when it names none). */
    private static SecurityGroup.Direction direction(JsonNode rule) {
        return rule.path("direction").asText().equals("egress") ? SecurityGroup.Direction.EGRESS : SecurityGroup.Direction.INGRESS;
    }

    /** {@code tcp:80 from 10.0.0.0/24, egress any to 0.0.0.0/0}; {@code (members only)} for none. */
    private static String rules(JsonNode g) {
        var out = new ArrayList<String>();
        for (JsonNode r : g.path("rules")) {
            var d = direction(r);
            out.add((d == SecurityGroup.Direction.EGRESS ? "egress " : "") + r.path("allow").asText() + " " + d.remoteField() + " "
                    + r.path(d.remoteField()).asText());
        }
        return out.isEmpty() ? "(members only)" : String.join(", ", out);
    }

    static void show(Cli cli, JsonNode g) {
        if (cli.json()) {
            cli.printJson(g);
            return;
        }
        boolean egress = false;
        for (JsonNode r : g.path("rules")) egress |= direction(r) == SecurityGroup.Direction.EGRESS;
        cli.out().println("Security group " + g.path("name").asText() + "   project: " + g.path("project").asText() + "   rules: " + rules(g) + (egress ? "" : "   (egress: open)"));
        var members = new ArrayList<String>();
        g.path("members").forEach(m -> members.add(m.asText()));
        cli.out().println("Members: " + (members.isEmpty() ? "none" : String.join(", ", members)));
    }
}
