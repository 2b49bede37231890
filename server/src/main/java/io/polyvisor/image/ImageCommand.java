package io.polyvisor.image;

import io.polyvisor.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code polyvisor image ...}: guest images. */
@Command(name = "image", description = "Build guest images.", subcommands = BuildTinyCommand.class)
public final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }
}
