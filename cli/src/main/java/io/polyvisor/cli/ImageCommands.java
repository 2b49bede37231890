package io.polyvisor.cli;

import io.polyvisor.cli.Table.Column;
import io.polyvisor.volumes.ImageFormat;
import io.polyvisor.volumes.StorageNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

import static io.polyvisor.cli.ApiClient.encode;

/**
 * {@code polyvisor image import|list|show|delete}: imported disk images, through the REST API. The {@code image}
 * command itself comes from the server module (which adds {@code build-tiny}, run on this machine); these are its
 * client subcommands.
 */
public final class ImageCommands {
    static final List<Column> IMAGES = List.of(
            Column.field("NAME", "name"),
            Column.field("FORMAT", "format"),
            Column.field("SIZE", "virtual_size"),
            new Column("USED BY", n -> {
                var users = new java.util.ArrayList<String>();
                n.path("used_by").forEach(u -> users.add(u.asText()));
                return users.isEmpty() ? "-" : String.join(",", users);
            }));

    private ImageCommands() {}

    @Command(name = "import", description = "Import a qcow2 or raw image from a file on the server's machine (checked with qemu-img).")
    public static final class Import implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--file", required = true, paramLabel = "FILE",
                description = "The image file, under /var/lib/polyvisor, /srv, /var/tmp or /tmp on the server's machine.")
        String file;

        @Option(names = "--format", paramLabel = "qcow2|raw", description = "What the file is (default qcow2); a file that is not is refused.")
        String format;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var body = new LinkedHashMap<String, Object>();
            body.put("name", StorageNames.image(name));
            body.put("file", Path.of(file).toAbsolutePath().normalize().toString());
            body.put("format", ImageFormat.parse(format).label());
            var i = cli.client().post("/api/v1/images", body);
            cli.print(i, Table.of(Cli.JSON.createArrayNode().add(i), IMAGES));
        }
    }

    @Command(name = "list", description = "List imported images.")
    public static final class ListImages implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var all = cli.client().get("/api/v1/images");
            cli.print(all, Table.of(all, IMAGES));
        }
    }

    @Command(name = "show", description = "Show one image.")
    public static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var i = cli.client().get("/api/v1/images/" + encode(StorageNames.image(name)));
            cli.print(i, Views.fields(i));
        }
    }

    @Command(name = "delete", description = "Delete an image (refused while a volume is made from it).")
    public static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            cli.client().delete("/api/v1/images/" + encode(StorageNames.image(name)));
            if (cli.json()) cli.printJson(Cli.JSON.createObjectNode().put("deleted", name));
            else cli.out().println("image " + name + " deleted");
        }
    }
}
