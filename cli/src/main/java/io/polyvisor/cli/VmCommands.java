package io.polyvisor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

import static io.polyvisor.cli.ApiClient.encode;

/** {@code polyvisor vm ...}: listing and showing here; {@link VmCreate} and {@link VmActions} change VMs. */
@Command(name = "vm", description = "Manage virtual machines.",
        subcommands = {VmCommands.ListVms.class, VmCommands.ShowVm.class, VmCreate.class,
                VmActions.Start.class, VmActions.Stop.class, VmActions.Reboot.class, VmActions.Suspend.class,
                VmActions.Resume.class, VmActions.Delete.class, VmActions.Migrate.class, SnapshotCommands.class, VmClone.class, TemplateCommands.Make.class, VmDiskCommands.Attach.class, VmDiskCommands.Detach.class,
                io.polyvisor.cli.networks.NicCommands.Attach.class, io.polyvisor.cli.networks.NicCommands.Detach.class,
                io.polyvisor.cli.coord.UserDataCommands.class})
final class VmCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "list", description = "List VMs.")
    static final class ListVms implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--host", paramLabel = "NAME", description = "Only VMs on this host.")
        String host;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only VMs with this label.")
        String label;

        @Option(names = "--project", paramLabel = "NAME", description = "Only VMs of this project.")
        String project;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var query = new ArrayList<String>();
            if (host != null) query.add("host=" + encode(host));
            if (project != null) query.add("project=" + encode(project));
            if (label != null) {
                Labels.parse(List.of(label));
                query.add("label=" + encode(label));
            }
            var vms = cli.client().get("/api/v1/vms" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
            cli.print(vms, Table.of(vms, Views.VMS));
        }
    }

    @Command(name = "show", description = "Show one VM in detail.")
    static final class ShowVm implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "VM name or id.")
        String ref;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var vm = cli.client().get("/api/v1/vms/" + encode(ref));
            cli.print(vm, Views.fields(vm));
        }
    }
}
