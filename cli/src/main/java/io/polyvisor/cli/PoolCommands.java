package io.polyvisor.cli;

import io.polyvisor.cli.Table.Column;
import io.polyvisor.disk.SharedPool;
import io.polyvisor.disk.StorageNames;
import io.polyvisor.model.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.polyvisor.cli.ApiClient.encode;

/**
 * {@code polyvisor pool create|list|show|delete|add-host|remove-host}: shared storage pools, directories several hosts
 * mount at one path (docs/STORAGE.md). Every host also has its own local pool, which is not declared.
 */
@Command(name = "pool", description = "Manage shared storage pools (a directory several hosts mount, NFS for example).",
        subcommands = {PoolCommands.Create.class, PoolCommands.ListPools.class, PoolCommands.Show.class, PoolCommands.Delete.class,
                PoolCommands.AddHost.class, PoolCommands.RemoveHost.class})
final class PoolCommands implements Runnable {
    static final Resource POOLS = new Resource("pool", "/api/v1/pools", List.of(
            Column.field("NAME", "name"),
            Column.field("PATH", "path"),
            Column.strings("HOSTS", "hosts"),
            Column.strings("VOLUMES", "volumes")), StorageNames::pool);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "create", description = "Declare a shared pool on the hosts that mount its directory (each must see the same files).")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--path", required = true, paramLabel = "DIR", description = "The directory every host mounts the pool at.")
        String path;

        @Option(names = "--host", required = true, paramLabel = "NAME", description = "A host that mounts it (repeat for each).")
        List<String> hosts;

        @Option(names = "--shared", description = "Accepted for clarity: every declared pool is shared (a host's local pool needs no declaration).")
        boolean shared;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var pool = new SharedPool(name, path, hosts); // validated here too: the same messages as the server's
            var body = new LinkedHashMap<String, Object>();
            body.put("name", pool.name());
            body.put("path", pool.path());
            body.put("hosts", pool.hosts());
            POOLS.printOne(cli, cli.client().post("/api/v1/pools", body));
        }
    }

    @Command(name = "list", description = "List shared pools.")
    static final class ListPools extends ResourceCommands.ListAll {
        ListPools() {
            super(POOLS);
        }
    }

    @Command(name = "show", description = "Show one shared pool.")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(POOLS);
        }
    }

    @Command(name = "delete", description = "Delete a shared pool's declaration (refused while it holds volumes; its files stay).")
    static final class Delete extends ResourceCommands.Delete {
        Delete() {
            super(POOLS);
        }
    }

    /** The POOL HOST parameters of {@code add-host} and {@code remove-host}. */
    static final class PoolHost {
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;

        @Parameters(index = "1", paramLabel = "HOST")
        String host;
    }

    @Command(name = "add-host", description = "Declare a shared pool on one more host (which must see its files).")
    static final class AddHost implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        PoolHost on;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            POOLS.printOne(cli, cli.client().post(POOLS.item(on.pool) + "/hosts", Map.of("host", Names.requireName("host", on.host))));
        }
    }

    @Command(name = "remove-host", description = "Take a shared pool off a host (refused while VMs there use it).")
    static final class RemoveHost implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        PoolHost on;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            POOLS.printOne(cli, cli.client().delete(POOLS.item(on.pool) + "/hosts/" + encode(Names.requireName("host", on.host))));
        }
    }
}
