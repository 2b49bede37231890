package io.polyvisor.cli;

import io.polyvisor.model.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;

import static io.polyvisor.cli.ApiClient.encode;

/**
 * {@code polyvisor vm clone SRC NEW [--linked] [--no-start]}: a new VM with full copies of a stopped VM's disks, or with
 * {@code --linked}, a new VM whose root volume is copy-on-write over template SRC's image (docs/STORAGE.md).
 */
@Command(name = "clone", description = "Clone a stopped VM (full copies of its disks), or with --linked a template "
        + "(a copy-on-write root volume over its image, on its host).")
final class VmClone implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "NEW")
    String name;

    @Option(names = "--no-start", description = "Create the clone stopped.")
    boolean noStart;

    @Option(names = "--linked", description = "SRC is a template (vm template): the clone's root volume is copy-on-write over its image.")
    boolean linked;

    @Option(names = "--project", paramLabel = "NAME", description = "With --linked: the project of the clone, whose quota it "
            + "counts in (default: the template's project).")
    String project;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var body = new LinkedHashMap<String, Object>();
        body.put("name", Names.requireName("vm", name));
        body.put("start", !noStart);
        if (project != null) {
            if (!linked) throw new io.polyvisor.model.InvalidInput("--project needs --linked (a full clone is in its source's project)");
            body.put("project", Names.requireName("project", project));
        }
        var made = cli.client().post(linked ? "/api/v1/templates/" + encode(io.polyvisor.disk.StorageNames.template(source)) + "/clones"
                : "/api/v1/vms/" + encode(source) + "/clone", body);
        if (cli.json()) {
            cli.printJson(made);
            return;
        }
        var volumes = new java.util.ArrayList<String>();
        made.path("volumes").forEach(v -> volumes.add(v.asText()));
        cli.out().println("vm " + name + (linked ? " linked-cloned from template " : " cloned from ") + source + " on host " + made.path("host").asText()
                + (volumes.isEmpty() ? "" : " (volumes " + String.join(", ", volumes) + ")") + "; create task " + made.path("task").asText());
    }
}
