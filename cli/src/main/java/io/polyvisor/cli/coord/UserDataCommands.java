package io.polyvisor.cli.coord;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.ApiClient;
import io.polyvisor.cli.Cli;
import io.polyvisor.coordination.CoordNames;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code polyvisor vm user-data set|show|clear VM}: the text a VM's guest reads at {@code /v1/self} (or raw with
 * {@code pvctl user-data}), through {@code /api/v1/vms/VM/user-data} (docs/COORDINATION.md).
 */
@Command(name = "user-data", description = "A VM's user data: text its guest reads (pvctl user-data, GET /v1/self); set, show, clear.",
        subcommands = {UserDataCommands.Set.class, UserDataCommands.Show.class, UserDataCommands.Clear.class})
public final class UserDataCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    static String path(String vm) {
        return "/api/v1/vms/" + ApiClient.encode(vm) + "/user-data";
    }

    static void report(Cli cli, JsonNode v, String done) {
        if (cli.json()) cli.printJson(v);
        else cli.out().println("user data of vm " + v.path("vm").asText() + " " + done + " (" + v.path("bytes").asInt() + " bytes)");
    }

    @Command(name = "set", description = "Set it from a file (--file) or the command line (--text), at most 16 KiB of UTF-8.")
    static final class Set implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "VM", description = "VM name or id.")
        String vm;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--file", paramLabel = "FILE", description = "A file of UTF-8 text.")
            Path file;
            @Option(names = "--text", paramLabel = "TEXT")
            String text;
        }

        @Override
        public void run() {
            String data = CoordNames.userData(source.text != null ? source.text : readFile(source.file));
            var cli = Cli.of(spec);
            report(cli, cli.client().put(path(vm), Map.of("user_data", data)), "set");
        }
    }

    /** A user-data file's text: UTF-8, at most 16 KiB, else an {@link InvalidInput} with the reason. */
    public static String readFile(Path file) {
        try {
            InvalidInput.require(Files.size(file) <= CoordNames.MAX_USER_DATA_BYTES,
                    "user_data must be at most " + CoordNames.MAX_USER_DATA_BYTES + " bytes of UTF-8, got " + Files.size(file));
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInput("user data file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidInput("cannot read user data file " + file + ": " + e.getMessage());
        }
    }

    @Command(name = "show", description = "Print it exactly as set (-o json: with its size); nothing when none is set.")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "VM", description = "VM name or id.")
        String vm;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode v = cli.client().get(path(vm));
            if (cli.json()) cli.printJson(v);
            else if (v.hasNonNull("user_data")) cli.out().print(v.path("user_data").asText());
        }
    }

    @Command(name = "clear", description = "Remove it.")
    static final class Clear implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "VM", description = "VM name or id.")
        String vm;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            report(cli, cli.client().delete(path(vm)), "removed");
        }
    }
}
