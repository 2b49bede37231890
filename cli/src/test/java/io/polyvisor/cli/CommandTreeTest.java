package io.polyvisor.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which top-level command a command line names, and so which part of the tree it builds. */
class CommandTreeTest {
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            host list                               | host
            -o json vm list                         | vm
            --output json vm list                   | vm
            -ojson vm list                          | vm
            --url http://h:1 --token vm host list   | host
            --url=http://h:1 tasks                  | tasks
            --help                                  | -
            -o json                                 | -
            @args.txt                               | -
            -- host list                            | -
            hots list                               | hots
            """)
    void theCommandWordSkipsRootOptionsAndTheirValues(String line, String word) {
        assertThat(CommandTree.commandWord(line.split(" "))).isEqualTo(word);
    }

    @Test
    void aNamedCommandIsBuiltAloneAndAnythingElseGetsTheWholeTree() {
        var all = CommandTree.all();
        assertThat(all.keySet()).startsWith("host", "vm", "events", "tasks", "ha", "plan", "explain", "group", "coord", "volume", "pool", "template", "network",
                "secgroup", "user", "project", "audit", "retention", "servers", "completion");
        assertThat(CommandTree.needed(new String[] {"-o", "json", "host", "list"})).containsExactly(HostCommands.class);
        assertThat(CommandTree.needed(new String[] {"hots", "list"})).containsExactlyElementsOf(all.values());
        assertThat(CommandTree.needed(new String[] {"completion", "bash"})).containsExactlyElementsOf(all.values());
        assertThat(CommandTree.needed(new String[0])).containsExactlyElementsOf(all.values());
    }
}
