package io.polyvisor.cli.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.autoscale.ScalingRules;
import io.polyvisor.autoscale.Target;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table.Column;
import io.polyvisor.cli.ResourceCommands;
import io.polyvisor.cli.Resource;
import io.polyvisor.cli.Table;
import io.polyvisor.model.Boot;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code polyvisor group create|list|show|scale|update|delete}: elastic groups behind HAProxy (docs/GROUPS.md). */
@Command(name = "group", description = "Elastic groups: VMs behind a load balancer, scaled on CPU, requests or a pushed metric.",
        subcommands = {GroupCommands.Create.class, GroupCommands.ListGroups.class, GroupCommands.Show.class,
                GroupCommands.Scale.class, GroupCommands.Update.class, GroupCommands.Delete.class})
public final class GroupCommands implements Runnable {
    static final Resource GROUPS = new Resource("group", "/api/v1/groups", List.of(
            Column.text("NAME", "name"),
            Column.text("STATE", "state"),
            Column.text("DESIRED", "desired"),
            Column.text("MEMBERS", "members"),
            Column.text("IN ROTATION", "in_rotation"),
            Column.text("MIN", "min"),
            Column.text("MAX", "max"),
            new Column("TARGET", g -> g.path("target").isNull() ? "-" : g.path("target").asText()),
            Column.text("ENDPOINT", "endpoint")), name -> name);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "create", description = "Create a group; the server starts its HAProxy and its first members.")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "Group name; members are NAME-1, NAME-2, ...")
        String name;
        @Option(names = "--vcpus", defaultValue = "1", paramLabel = "N", description = "Each member's vCPUs (default 1).")
        int vcpus;
        @Option(names = "--memory", required = true, paramLabel = "SIZE", description = "Each member's memory: 256M, 1G ...")
        String memory;
        @Option(names = "--image", paramLabel = "FILE", description = "Boot members from this disk image.")
        String image;
        @Option(names = "--kernel", paramLabel = "FILE", description = "Boot members from this kernel.")
        String kernel;
        @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk for --kernel.")
        String initrd;
        @Option(names = "--cmdline", paramLabel = "TEXT", description = "Kernel command line for --kernel.")
        String cmdline;
        @Option(names = "--port", required = true, paramLabel = "PORT", description = "The port members serve on (e.g. 80).")
        int port;
        @Option(names = "--listen", paramLabel = "PORT", description = "The endpoint's port on 127.0.0.1 (default: a free one).")
        Integer listen;
        @Option(names = "--min", defaultValue = "1", paramLabel = "N", description = "Fewest members (default 1).")
        int min;
        @Option(names = "--max", required = true, paramLabel = "N", description = "Most members, counting starting and failed ones.")
        int max;
        @Option(names = "--target", paramLabel = "T", description = "cpu=PERCENT, rps=N (per member) or metric:NAME=V; "
                + "without it the group is scaled by hand.")
        String target;
        @Option(names = "--scale-out-window", paramLabel = "SECONDS", description = "Scale-out stabilisation (default 0).")
        Integer outWindow;
        @Option(names = "--scale-in-window", paramLabel = "SECONDS", description = "Scale-in stabilisation (default 300).")
        Integer inWindow;
        @Option(names = "--health-path", paramLabel = "PATH", description = "The HTTP path HAProxy's health check asks members for (default /).")
        String healthPath;
        @Option(names = "--project", paramLabel = "NAME", description = "The project that owns it (default: default).")
        String project;
        @Option(names = "--warm", defaultValue = "0", paramLabel = "N",
                description = "Members kept built and suspended, resumed first to scale out; they count toward --max (default 0).")
        int warm;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().post(GROUPS.path(), body()));
        }

        /** The request body, checked with the model's own validators first (same messages as the server's). */
        Map<String, Object> body() {
            Names.requireName("group", name);
            long bytes = Sizes.parse("memory", memory);
            new VmSpec(vcpus, bytes, boot(), null, List.of(port));
            if (target != null) Target.parse(target);
            new ScalingRules(min, max, null, null, null, 1, 1, 0, warm);
            var b = new LinkedHashMap<String, Object>();
            b.put("name", name);
            b.put("vcpus", vcpus);
            b.put("memory", memory);
            switch (boot()) {
                case Boot.None n -> { }
                case Boot.Disk d -> b.put("boot", Map.of("image", d.image()));
                case Boot.Kernel k -> {
                    var kb = new LinkedHashMap<String, Object>();
                    kb.put("kernel", k.kernel());
                    if (k.initrd() != null) kb.put("initrd", k.initrd());
                    if (!k.cmdline().isEmpty()) kb.put("cmdline", k.cmdline());
                    b.put("boot", kb);
                }
            }
            b.put("port", port);
            if (listen != null) b.put("listen_port", listen);
            b.put("min", min);
            b.put("max", max);
            if (target != null) b.put("target", target);
            if (outWindow != null) b.put("scale_out_window_s", outWindow);
            if (inWindow != null) b.put("scale_in_window_s", inWindow);
            if (warm != 0) b.put("warm", warm);
            if (healthPath != null) b.put("health_path", healthPath);
            if (project != null) b.put("project", project);
            return b;
        }

        private Boot boot() {
            if (image != null) {
                InvalidInput.require(kernel == null && initrd == null && cmdline == null, "give --image or --kernel, not both");
                return new Boot.Disk(image);
            }
            if (kernel != null) return new Boot.Kernel(kernel, initrd, cmdline);
            InvalidInput.require(initrd == null && cmdline == null, "--initrd and --cmdline need --kernel");
            return Boot.none();
        }
    }

    @Command(name = "list", description = "List groups: desired, members, in rotation, endpoint.")
    static final class ListGroups extends ResourceCommands.ListAll {
        ListGroups() {
            super(GROUPS);
        }
    }

    @Command(name = "show", description = "Show a group: members, endpoint and its last decisions with reasons (-o json for all).")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(GROUPS, GroupCommands::show);
        }
    }

    @Command(name = "scale", description = "Set the desired member count of a group without a target.")
    static final class Scale implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "N")
        int desired;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().post(GROUPS.item(name) + "/scale", Map.of("desired", desired)));
        }
    }

    @Command(name = "update", description = "Change a group's min, max or target (--target none: scale by hand).")
    static final class Update implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--min", paramLabel = "N")
        Integer min;
        @Option(names = "--max", paramLabel = "N")
        Integer max;
        @Option(names = "--target", paramLabel = "T", description = "cpu=PERCENT, rps=N, metric:NAME=V or none.")
        String target;
        @Option(names = "--warm", paramLabel = "N", description = "The warm pool's size; warm members count toward max.")
        Integer warm;

        @Override
        public void run() {
            InvalidInput.require(min != null || max != null || target != null || warm != null, "give --min, --max, --target or --warm to change");
            if (target != null && !target.equals("none")) Target.parse(target);
            var b = new LinkedHashMap<String, Object>();
            if (min != null) b.put("min", min);
            if (max != null) b.put("max", max);
            if (target != null) b.put("target", target);
            if (warm != null) b.put("warm", warm);
            var cli = Cli.of(spec);
            show(cli, cli.client().put(GROUPS.item(name), b));
        }
    }

    @Command(name = "delete", description = "Delete a group: its members drain and are deleted, then its HAProxy stops.")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode g = cli.client().delete(GROUPS.item(name));
            if (cli.json()) cli.printJson(g);
            else cli.out().println("group " + name + " is being deleted: " + g.path("members").size() + " member(s) drain and go");
        }
    }

    /** A group as text (or JSON with -o json). */
    static void show(Cli cli, JsonNode g) {
        if (cli.json()) {
            cli.printJson(g);
            return;
        }
        var out = cli.out();
        out.println("Group " + g.path("name").asText() + " (" + g.path("state").asText() + ")   endpoint " + g.path("endpoint").asText()
                + "   balancer " + g.path("balancer").asText());
        out.println("Desired " + g.path("desired").asInt() + "   min " + g.path("min").asInt() + "   max " + g.path("max").asInt()
                + "   target " + (g.path("target").isNull() ? "none (scaled by hand)" : g.path("target").asText())
                + "   members serve port " + g.path("port").asInt());
        out.println();
        var t = new Table("MEMBER", "HOST", "STATE", "VM STATE", "IN ROTATION", "ADDRESS");
        for (JsonNode m : g.path("members")) {
            t.row(m.path("name").asText(), m.path("host").asText("-"), m.path("state").asText(), m.path("vm_state").asText(),
                    m.path("in_rotation").asBoolean() ? "yes" : "no", m.path("address").isNull() ? "-" : m.path("address").asText());
        }
        out.print(g.path("members").isEmpty() ? "No members.\n" : t.render());
        JsonNode last = g.path("last_evaluation");
        if (!last.isNull() && !last.isMissingNode()) {
            out.println();
            out.println("Last evaluation: " + last.path("reason").asText());
        }
        if (!g.path("decisions").isEmpty()) {
            out.println();
            var d = new Table("AT", "DESIRED", "LAUNCHED", "REMOVED", "REASON");
            int n = 0;
            for (JsonNode x : g.path("decisions")) {
                if (n++ == 5) break;
                d.row(x.path("at").asText(), x.path("desired").asText(), x.path("launched").asText(), x.path("removed").asText(),
                        x.path("reason").asText());
            }
            out.print(d.render());
        }
    }
}
