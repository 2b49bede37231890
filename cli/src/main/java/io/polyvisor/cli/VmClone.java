package io.polyvisor.cli;

import io.polyvisor.model.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;

import static io.polyvisor.cli.ApiClient.encode;

/** {@code polyvisor vm clone SRC NEW [--no-start]}: a new VM with full copies of a stopped VM's disks (docs/STORAGE.md). */
@Command(name = "clone", description = "Clone a stopped VM: a new VM on its host with full copies of its disks.")
final class VmClone implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "NEW")
    String name;

    @Option(names = "--no-start", description = "Create the clone stopped.")
    boolean noStart;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var body = new LinkedHashMap<String, Object>();
        body.put("name", Names.requireName("vm", name));
        body.put("start", !noStart);
        var made = cli.client().post("/api/v1/vms/" + encode(source) + "/clone", body);
        if (cli.json()) {
            cli.printJson(made);
            return;
        }
        var volumes = new java.util.ArrayList<String>();
        made.path("volumes").forEach(v -> volumes.add(v.asText()));
        cli.out().println("vm " + name + " cloned from " + source + " on host " + made.path("host").asText()
                + (volumes.isEmpty() ? "" : " (volumes " + String.join(", ", volumes) + ")") + "; create task " + made.path("task").asText());
    }
}
