package io.polyvisor.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Building only the command a line names (CommandTree) changes nothing a user sees: each line prints the same and
 * exits the same as with the whole tree built, with the local commands (server, bench, ...) on the class path.
 */
class CommandTreeEquivalenceTest {
    private static final String DEAD = "http://127.0.0.1:1";

    @ParameterizedTest
    @ValueSource(strings = {"", "--help", "--version", "host", "host --help", "host list", "-o json host list",
            "--url " + DEAD + " vm list", "vm strat web1", "hots list", "vm create web1 --vcpus 1", "host list --bogus",
            "--bogus host list", "-o yaml vm list", "bench", "bench --help", "drivers --help", "server --help",
            "image --help", "completion bash", "ha", "plan --help"})
    void aLineBehavesAsWithTheWholeTree(String line) {
        var args = line.isEmpty() ? new String[0] : line.split(" ");
        var env = Map.of("POLYVISOR_URL", DEAD);
        var lazy = run(args, env, CommandTree.needed(args));
        var whole = run(args, env, List.copyOf(CommandTree.all().values()));
        assertThat(lazy).isEqualTo(whole);
    }

    private static CliRun run(String[] args, Map<String, String> env, List<Class<?>> subcommands) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, subcommands);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
