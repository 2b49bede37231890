package io.polyvisor.cli.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.access.Quota;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table.Column;
import io.polyvisor.cli.ResourceCommands;
import io.polyvisor.cli.Resource;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code polyvisor project create|list|show|update|delete}: projects own VMs and hold quotas (docs/SECURITY.md). */
@Command(name = "project", description = "Projects: VMs belong to one; users see and act in theirs; quotas limit them.",
        subcommands = {ProjectCommands.Create.class, ProjectCommands.ListProjects.class, ProjectCommands.Show.class,
                ProjectCommands.Update.class, ProjectCommands.Delete.class})
public final class ProjectCommands implements Runnable {
    /** Projects, each with its usage against its quota: {@code 3/10} ({@code -} for no limit). */
    static final Resource PROJECTS = new Resource("project", "/api/v1/projects", List.of(
            Column.text("NAME", "name"),
            new Column("VMS", p -> used(p, "vms", false)),
            new Column("VCPUS", p -> used(p, "vcpus", false)),
            new Column("MEMORY", p -> used(p, "memory_bytes", true)),
            new Column("DISK", p -> used(p, "disk_bytes", true))), name -> name);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "create", description = "Create a project.")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--quota", paramLabel = "LIMITS", description = "vcpus=N,memory=SIZE,vms=N,disk=SIZE (any of them; default: no limit).")
        String quota;

        @Override
        public void run() {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", Names.requireName("project", name));
            if (quota != null) b.put("quota", limits(quota));
            var cli = Cli.of(spec);
            PROJECTS.printOne(cli, cli.client().post(PROJECTS.path(), b));
        }
    }

    @Command(name = "list", description = "List projects with their quota and usage.")
    static final class ListProjects extends ResourceCommands.ListAll {
        ListProjects() {
            super(PROJECTS);
        }
    }

    @Command(name = "show", description = "Show a project: quota and usage.")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(PROJECTS, PROJECTS::printOne);
        }
    }

    @Command(name = "update", description = "Change limits: those named are set (KEY=none lifts one), the others kept.")
    static final class Update implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--quota", required = true, paramLabel = "LIMITS", description = "vcpus=N,memory=SIZE,vms=N,disk=SIZE; a value none lifts that limit.")
        String quota;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            PROJECTS.printOne(cli, cli.client().put(PROJECTS.item(name), Map.of("quota", limits(quota))));
        }
    }

    @Command(name = "delete", description = "Delete a project that holds no VM and is no user's.")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            cli.client().delete(PROJECTS.item(name));
            cli.out().println("project " + name + " deleted"); // also with -o json
        }
    }

    /** The limits {@code text} names, checked as the model checks them: a number each, or null for none. */
    static Map<String, Object> limits(String text) {
        Quota.parse(text); // the exact messages for a malformed text
        Map<String, Object> q = new LinkedHashMap<>();
        if (text.strip().equals("none")) {
            q.put("vcpus", null);
            q.put("memory_bytes", null);
            q.put("vms", null);
            q.put("disk_bytes", null);
            return q;
        }
        for (String part : text.split(",")) {
            String key = part.substring(0, part.indexOf('=')).strip();
            Quota one = Quota.parse(part);
            switch (key) {
                case "vcpus" -> q.put("vcpus", one.vcpus());
                case "vms" -> q.put("vms", one.vms());
                case "memory" -> q.put("memory_bytes", one.memoryBytes());
                case "disk" -> q.put("disk_bytes", one.diskBytes());
                default -> throw new InvalidInput("quota keys are vcpus, memory, vms and disk, got '" + key + "'");
            }
        }
        return q;
    }

    /** {@code 3/10}: used and limit ({@code -} for none). */
    private static String used(JsonNode project, String field, boolean bytes) {
        JsonNode usage = project.path("usage");
        JsonNode limit = project.path("quota").path(field);
        String u = bytes ? Sizes.format(usage.path(field).asLong()) : usage.path(field).asText();
        String l = limit.isNull() || limit.isMissingNode() ? "-" : bytes ? Sizes.format(limit.asLong()) : limit.asText();
        return u + "/" + l;
    }
}
