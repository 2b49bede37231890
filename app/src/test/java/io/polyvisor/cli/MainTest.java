package io.polyvisor.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    // Port 1 on loopback: nothing listens there, so connecting is refused at once.
    private static final String DEAD = "http://127.0.0.1:1";

    @Test
    void noArgumentsPrintsTheCommandsAndSucceeds() {
        var r = CliRun.of();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("host", "vm", "events", "tasks", "drivers", "bench", "completion");
    }

    @Test
    void versionNamesTheBuildAndTheJavaRuntime() {
        var r = CliRun.of("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("polyvisor ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        var r = CliRun.of("vm", "strat", "web1");
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).startsWith("error: Unmatched arguments").contains("start");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingRequiredOptionIsAUsageErrorNamingIt() {
        var r = CliRun.of("vm", "create", "web1", "--vcpus", "1");
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("error: Missing required option: '--memory=SIZE'")
                .contains("see 'polyvisor vm create --help'");
    }

    @Test
    void unreachableServerExitsThreeWithoutAStackTrace() {
        var r = CliRun.of("vm", "list", "--url", DEAD);
        assertThat(r.exit()).isEqualTo(Main.UNREACHABLE);
        assertThat(r.err()).startsWith("error: cannot reach the Polyvisor server at http://127.0.0.1:1: connection refused\n")
                .doesNotContain("\tat ").contains("hint: start it with 'polyvisor server'");
    }

    @Test
    void globalOptionsWorkBeforeTheSubcommandAndFromTheEnvironment() {
        assertThat(CliRun.of("--url", DEAD, "host", "list").err()).contains("at http://127.0.0.1:1:");
        assertThat(CliRun.of(Map.of("POLYVISOR_URL", DEAD), "host", "list").err()).contains("at http://127.0.0.1:1:");
        // --url wins over the environment
        assertThat(CliRun.of(Map.of("POLYVISOR_URL", "http://127.0.0.1:2"), "host", "list", "--url", DEAD).err())
                .contains("at http://127.0.0.1:1:");
    }

    @Test
    void badUrlIsAUsageError() {
        var r = CliRun.of("vm", "list", "--url", "localhost:8080");
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).isEqualTo("error: server URL must look like http://HOST:PORT, got 'localhost:8080'\n");
    }

    @Test
    void badOutputFormatIsAUsageError() {
        var r = CliRun.of("vm", "list", "-o", "yaml");
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("table, json");
    }

    @Test
    void helpWorksOnEverySubcommand() {
        var r = CliRun.of("vm", "create", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: polyvisor vm create").contains("--memory=SIZE", "--no-wait", "--url=URL");
        assertThat(CliRun.of("host", "maintenance", "-h").out()).startsWith("Usage: polyvisor host maintenance");
    }

    @Test
    void benchIsAParentForBenchmarks() {
        var r = CliRun.of("bench");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: polyvisor bench");
    }

    @Test
    void completionBashIsAScriptCompletingTheCommandTree() {
        var r = CliRun.of("completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_polyvisor")
                .contains("migrate").contains("maintenance").contains("--no-wait");
    }
}
