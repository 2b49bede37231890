package io.polyvisor.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated bash completion script, loaded into a real bash and asked to complete partial command lines. */
class CompletionTest {
    @TempDir
    static Path tmp;

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            polyvisor vm mi                  | migrate
            polyvisor ho                     | host
            polyvisor host maintenance h1 '' | on off
            polyvisor vm list -o ''          | table json
            polyvisor vm create web1 --no-   | --no-start --no-wait
            """)
    void bashCompletesCommandsOptionsAndValues(String line, String expected) throws Exception {
        var script = tmp.resolve("polyvisor-completion.bash");
        if (!Files.exists(script)) Files.writeString(script, CliRun.of("completion", "bash").out());
        var words = line.replace("''", "\"\"");
        var probe = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]}-1));"
                + " COMP_LINE='" + line.replace("''", "") + "'; COMP_POINT=${#COMP_LINE}; _complete_polyvisor 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"";
        var p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes()).strip()).isEqualTo(expected);
    }
}
