package io.polyvisor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.CliRun;
import io.polyvisor.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench cli}'s contract: fields and failure, not figures. The launcher timed here is a stand-in script that
 * runs the CLI from this test's class path, so the test never builds the jar (LauncherTest covers ./polyvisor).
 */
class CliBenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void printsStartUpBesideJavaVersionAsSnakeCaseJson() throws Exception {
        var launcher = script("cli", "exec '" + java() + "' -cp '" + System.getProperty("java.class.path") + "' io.polyvisor.cli.Main \"$@\"");
        CliRun r = CliRun.of("bench", "cli", "--runs", "2", "--warmups", "1", "--launcher", launcher.toString(), "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("runs").asInt()).isEqualTo(2);
        for (var field : new String[] {"startup_p50_s", "startup_p90_s", "java_version_p50_s"}) {
            assertThat(json.path(field).asDouble()).as(field).isPositive();
        }
        assertThat(json.path("startup_p90_s").asDouble()).isGreaterThanOrEqualTo(json.path("startup_p50_s").asDouble());
        assertThat(json.path("jdk").asText()).startsWith(Integer.toString(Runtime.version().feature()));
    }

    @Test
    void aFailingLauncherFailsTheBenchmark() throws Exception {
        var launcher = script("broken", "echo 'polyvisor: no JDK' >&2; exit 1");
        CliRun r = CliRun.of("bench", "cli", "--runs", "1", "--warmups", "0", "--launcher", launcher.toString());
        assertThat(r.exit()).isEqualTo(Main.FAILED);
        assertThat(r.err()).startsWith("error: " + launcher + " host list --url http://127.0.0.1:").contains("failed (exit 1): polyvisor: no JDK")
                .doesNotContain("--token");
    }

    private Path script(String name, String body) throws Exception {
        var f = tmp.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
