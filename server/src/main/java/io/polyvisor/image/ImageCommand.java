package io.polyvisor.image;

import io.polyvisor.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code polyvisor image ...}: guest images. {@code build-tiny} runs on this machine; {@code import}, {@code list},
 * {@code show} and {@code delete} are the client's ({@link io.polyvisor.cli.ImageCommands}), through the REST API.
 */
@Command(name = "image", description = "Import, list and delete disk images; build the tiny test guest.",
        subcommands = {BuildTinyCommand.class, io.polyvisor.cli.ImageCommands.Import.class, io.polyvisor.cli.ImageCommands.ListImages.class,
                io.polyvisor.cli.ImageCommands.Show.class, io.polyvisor.cli.ImageCommands.Delete.class})
public final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }
}
