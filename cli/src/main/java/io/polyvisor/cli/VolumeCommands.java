package io.polyvisor.cli;

import io.polyvisor.cli.Table.Column;
import io.polyvisor.disk.DiskSizes;
import io.polyvisor.disk.StorageNames;
import io.polyvisor.model.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code polyvisor volume create|list|show|resize|delete}: volumes in the hosts' storage pools (docs/STORAGE.md). */
@Command(name = "volume", description = "Manage storage volumes (disks in a host's pool).",
        subcommands = {VolumeCommands.Create.class, VolumeCommands.ListVolumes.class, VolumeCommands.Show.class,
                VolumeCommands.Resize.class, VolumeCommands.Delete.class})
final class VolumeCommands implements Runnable {
    static final Resource VOLUMES = new Resource("volume", "/api/v1/volumes", List.of(
            Column.field("NAME", "name"),
            Column.field("HOST", "host"),
            Column.field("POOL", "pool"),
            Column.field("SIZE", "size"),
            Column.field("IMAGE", "image"),
            Column.field("VM", "vm")), StorageNames::volume);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "create", description = "Create a volume: empty, or copy-on-write over an image (--from).")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--size", paramLabel = "SIZE", description = "1M to 16T (default with --from: the image's size).")
        String size;

        @Option(names = "--from", paramLabel = "IMAGE", description = "Make it copy-on-write over this image.")
        String from;

        @Option(names = "--host", paramLabel = "NAME", description = "The host whose pool holds it (default: the pool with the most room);"
                + " with --pool, the host it is made through.")
        String host;

        @Option(names = "--pool", paramLabel = "NAME", description = "A shared pool to make it in (default: a host's local pool).")
        String pool;
        @Option(names = "--project", paramLabel = "NAME", description = "The project that owns it (default: default).")
        String project;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var body = new LinkedHashMap<String, Object>();
            body.put("name", StorageNames.volume(name));
            if (size != null) body.put("size", Long.toString(DiskSizes.parse("size", size)));
            if (from != null) body.put("image", StorageNames.image(from));
            if (host != null) body.put("host", Names.requireName("host", host));
            if (pool != null) body.put("pool", StorageNames.pool(pool));
            if (project != null) body.put("project", Names.requireName("project", project));
            VOLUMES.printOne(cli, cli.client().post(VOLUMES.path(), body));
        }
    }

    @Command(name = "list", description = "List volumes.")
    static final class ListVolumes extends ResourceCommands.ListAll {
        ListVolumes() {
            super(VOLUMES);
        }
    }

    @Command(name = "show", description = "Show one volume.")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(VOLUMES);
        }
    }

    @Command(name = "resize", description = "Grow a volume (shrinking is refused; the VM using it must be stopped).")
    static final class Resize implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SIZE", description = "The new size, e.g. 20G.")
        String size;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            long bytes = DiskSizes.parse("size", size);
            VOLUMES.printOne(cli, cli.client().post(VOLUMES.item(name) + "/resize",
                    Map.of("size", Long.toString(bytes))));
        }
    }

    @Command(name = "delete", description = "Delete a volume (refused while attached to a VM).")
    static final class Delete extends ResourceCommands.Delete {
        Delete() {
            super(VOLUMES);
        }
    }
}
