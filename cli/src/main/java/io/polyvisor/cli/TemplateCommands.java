package io.polyvisor.cli;

import io.polyvisor.cli.Table.Column;
import io.polyvisor.disk.StorageNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;

import static io.polyvisor.cli.ApiClient.encode;

/**
 * {@code polyvisor template list|show|delete} and {@code polyvisor vm template SRC NAME}: VM templates, the bases of
 * linked clones ({@code vm clone TEMPLATE NEW --linked}); docs/STORAGE.md.
 */
@Command(name = "template", description = "Manage VM templates (bases that never change again, for linked clones).",
        subcommands = {TemplateCommands.ListTemplates.class, TemplateCommands.Show.class, TemplateCommands.Delete.class})
final class TemplateCommands implements Runnable {
    static final Resource TEMPLATES = new Resource("template", "/api/v1/templates", List.of(
            Column.field("NAME", "name"),
            Column.field("PROJECT", "project"),
            Column.field("HOST", "host"),
            Column.field("SOURCE", "source"),
            Column.field("DISK", "disk_size"),
            new Column("CLONES", n -> String.valueOf(n.path("used_by").size()))), StorageNames::template);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    /** {@code vm template SRC NAME}. */
    @Command(name = "template", description = "Make a template of a stopped VM with one disk: a copy of its disk, in its "
            + "host's pool, that never changes again; linked clones are made from it (vm clone NAME NEW --linked).")
    static final class Make implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SRC")
        String source;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--project", paramLabel = "NAME", description = "The project that owns it (default: SRC's project).")
        String project;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var body = new LinkedHashMap<String, Object>();
            body.put("name", StorageNames.template(name));
            if (project != null) body.put("project", io.polyvisor.model.Names.requireName("project", project));
            TEMPLATES.printOne(cli, cli.client().post("/api/v1/vms/" + encode(source) + "/template", body));
        }
    }

    @Command(name = "list", description = "List templates (of your projects).")
    static final class ListTemplates extends ResourceCommands.ListAll {
        ListTemplates() {
            super(TEMPLATES);
        }
    }

    @Command(name = "show", description = "Show one template.")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(TEMPLATES);
        }
    }

    @Command(name = "delete", description = "Delete a template (refused while a linked clone's volume uses it).")
    static final class Delete extends ResourceCommands.Delete {
        Delete() {
            super(TEMPLATES);
        }
    }
}
