package io.polyvisor.cli;

import io.polyvisor.cli.Table.Column;
import io.polyvisor.disk.StorageNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;

import static io.polyvisor.cli.ApiClient.encode;

/** {@code polyvisor vm attach-disk|detach-disk VM VOLUME}: hot when the VM runs (docs/STORAGE.md). */
final class VmDiskCommands {
    static final List<Column> DISKS = List.of(Column.field("VOLUME", "volume"), Column.field("SIZE", "size"), Column.field("BUS", "bus"));

    private VmDiskCommands() {}

    private static void print(Cli cli, com.fasterxml.jackson.databind.JsonNode made, String line) {
        if (cli.json()) {
            cli.printJson(made);
            return;
        }
        cli.out().println(line);
        cli.out().print(Table.of(made.path("disks"), DISKS).render());
    }

    @Command(name = "attach-disk", description = "Attach a free volume of the VM's host's pool as its next disk (hot when it runs).")
    static final class Attach implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "VOLUME")
        String volume;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var made = cli.client().post("/api/v1/vms/" + encode(vm) + "/disks", Map.of("volume", StorageNames.volume(volume)));
            print(cli, made, "volume " + volume + " attached to vm " + vm);
        }
    }

    @Command(name = "detach-disk", description = "Detach one of the VM's disks but its first (hot when it runs); the volume is kept.")
    static final class Detach implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "VOLUME")
        String volume;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var made = cli.client().delete("/api/v1/vms/" + encode(vm) + "/disks/" + encode(StorageNames.volume(volume)));
            print(cli, made, "volume " + volume + " detached from vm " + vm);
        }
    }
}
