package io.polyvisor.cli;

import io.polyvisor.model.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code polyvisor host list|add|show|remove|maintenance}. */
@Command(name = "host", description = "Manage hypervisor hosts.",
        subcommands = {HostCommands.ListHosts.class, HostCommands.AddHost.class, HostCommands.ShowHost.class,
                HostCommands.RemoveHost.class, HostCommands.Maintenance.class})
final class HostCommands implements Runnable {
    /** Hosts are named by the server (from the URI by default), so a name is sent as given. */
    static final Resource HOSTS = new Resource("host", "/api/v1/hosts", Views.HOSTS, name -> name);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "list", description = "List hosts.")
    static final class ListHosts extends ResourceCommands.ListAll {
        ListHosts() {
            super(HOSTS);
        }
    }

    @Command(name = "add", description = "Connect a host by its driver URI (sim://dc/h1, qemu:///system, qemu+ssh://...).")
    static final class AddHost implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "URI", description = "Driver URI of the host.")
        String uri;

        @Option(names = "--name", paramLabel = "NAME", description = "Host name (default: from the URI).")
        String name;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label; repeatable.")
        List<String> labels;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var body = new LinkedHashMap<String, Object>();
            body.put("uri", uri);
            if (name != null) body.put("name", Names.requireName("host", name));
            if (labels != null) body.put("labels", Labels.parse(labels));
            HOSTS.printOne(cli, cli.client().post(HOSTS.path(), body));
        }
    }

    @Command(name = "show", description = "Show one host in detail.")
    static final class ShowHost extends ResourceCommands.Show {
        ShowHost() {
            super(HOSTS);
        }
    }

    @Command(name = "remove", description = "Forget a host; refused while VMs are on it.")
    static final class RemoveHost extends ResourceCommands.Delete {
        RemoveHost() {
            super(HOSTS, "removed");
        }
    }

    @Command(name = "maintenance", description = "Put a host into maintenance (no new VMs) or take it out.")
    static final class Maintenance implements Runnable {
        enum Switch { on, off }

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "on|off", description = "${COMPLETION-CANDIDATES}")
        Switch mode;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            HOSTS.printOne(cli, cli.client().post(HOSTS.item(name) + "/maintenance", Map.of("enabled", mode == Switch.on)));
        }
    }
}
