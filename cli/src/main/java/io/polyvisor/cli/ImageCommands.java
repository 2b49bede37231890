package io.polyvisor.cli;

import io.polyvisor.cli.Table.Column;
import io.polyvisor.disk.ImageFormat;
import io.polyvisor.disk.StorageNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code polyvisor image import|list|show|delete}: imported disk images, through the REST API. The {@code image}
 * command itself comes from the server module (which adds {@code build-tiny}, run on this machine); these are its
 * client subcommands.
 */
public final class ImageCommands {
    static final Resource IMAGES = new Resource("image", "/api/v1/images", List.of(
            Column.field("NAME", "name"),
            Column.field("FORMAT", "format"),
            Column.field("SIZE", "virtual_size"),
            Column.strings("USED BY", "used_by")), StorageNames::image);

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
            IMAGES.printOne(cli, cli.client().post(IMAGES.path(), body));
        }
    }

    @Command(name = "list", description = "List imported images.")
    public static final class ListImages extends ResourceCommands.ListAll {
        public ListImages() {
            super(IMAGES);
        }
    }

    @Command(name = "show", description = "Show one image.")
    public static final class Show extends ResourceCommands.Show {
        public Show() {
            super(IMAGES);
        }
    }

    @Command(name = "delete", description = "Delete an image (refused while a volume is made from it).")
    public static final class Delete extends ResourceCommands.Delete {
        public Delete() {
            super(IMAGES);
        }
    }
}
