package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** One change of a VM's disks: the call it makes, then the VM's disks after it. */
    abstract static class Change implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "VOLUME")
        String volume;

        abstract JsonNode call(ApiClient client, String vmPath, String volume);

        abstract String done();

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var made = call(cli.client(), "/api/v1/vms/" + encode(vm) + "/disks", StorageNames.volume(volume));
            if (cli.json()) {
                cli.printJson(made);
                return;
            }
            cli.out().println("volume " + volume + " " + done() + " vm " + vm);
            cli.out().print(Table.of(made.path("disks"), DISKS).render());
        }
    }

    @Command(name = "attach-disk", description = "Attach a free volume of the VM's host's pool as its next disk (hot when it runs).")
    static final class Attach extends Change {
        @Override
        JsonNode call(ApiClient client, String vmPath, String volume) {
            return client.post(vmPath, Map.of("volume", volume));
        }

        @Override
        String done() {
            return "attached to";
        }
    }

    @Command(name = "detach-disk", description = "Detach one of the VM's disks but its first (hot when it runs); the volume is kept.")
    static final class Detach extends Change {
        @Override
        JsonNode call(ApiClient client, String vmPath, String volume) {
            return client.delete(vmPath + "/" + encode(volume));
        }

        @Override
        String done() {
            return "detached from";
        }
    }
}
