package io.polyvisor.cli;

import io.polyvisor.cli.Table.Column;
import io.polyvisor.disk.StorageNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;

import static io.polyvisor.cli.ApiClient.encode;

/** {@code polyvisor vm snapshot create|list|revert|delete VM [NAME]}: snapshots of a VM's disks (and memory, when it runs). */
@Command(name = "snapshot", description = "Snapshots of a VM's disks (and memory state of a running VM).",
        subcommands = {SnapshotCommands.Create.class, SnapshotCommands.ListSnapshots.class, SnapshotCommands.Revert.class,
                SnapshotCommands.Delete.class})
final class SnapshotCommands implements Runnable {
    static final List<Column> SNAPSHOTS = List.of(Column.field("NAME", "name"), Column.field("CREATED", "created"),
            new Column("STATE", n -> n.path("running").asBoolean() ? "running (memory saved)" : "stopped (disks)"));

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    static String path(String vm) {
        return "/api/v1/vms/" + encode(vm) + "/snapshots";
    }

    /** The VM NAME parameters of {@code create}, {@code revert} and {@code delete}. */
    static final class SnapshotRef {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;
        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        /** The snapshot's path, after checking its name as the server would. */
        String path() {
            return SnapshotCommands.path(vm) + "/" + encode(StorageNames.snapshot(name));
        }
    }

    @Command(name = "create", description = "Take a snapshot.")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        SnapshotRef snapshot;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var s = cli.client().post(path(snapshot.vm), Map.of("name", StorageNames.snapshot(snapshot.name)));
            cli.print(s, Table.one(s, SNAPSHOTS));
        }
    }

    @Command(name = "list", description = "List a VM's snapshots, oldest first.")
    static final class ListSnapshots implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "VM")
        String vm;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var all = cli.client().get(path(vm));
            cli.print(all, Table.of(all, SNAPSHOTS));
        }
    }

    @Command(name = "revert", description = "Return the VM to a snapshot (the VM must be running or stopped as it was then).")
    static final class Revert implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        SnapshotRef snapshot;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            cli.client().post(snapshot.path() + "/revert", Map.of());
            if (cli.json()) cli.printJson(Cli.JSON.createObjectNode().put("reverted", snapshot.name));
            else cli.out().println(snapshot.vm + " reverted to snapshot " + snapshot.name);
        }
    }

    @Command(name = "delete", description = "Delete a snapshot.")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        SnapshotRef snapshot;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            cli.client().delete(snapshot.path());
            if (cli.json()) cli.printJson(Cli.JSON.createObjectNode().put("deleted", snapshot.name));
            else cli.out().println("snapshot " + snapshot.name + " of " + snapshot.vm + " deleted");
        }
    }
}
