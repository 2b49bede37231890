package io.polyvisor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSourceTest {
    @TempDir
    Path cwd;

    private void writeTokenFile(String text) throws Exception {
        Files.createDirectories(cwd.resolve("data"));
        Files.writeString(cwd.resolve("data/admin.token"), text);
    }

    @Test
    void flagWinsOverEnvironmentAndFile() throws Exception {
        writeTokenFile("from-file\n");
        assertThat(TokenSource.resolve("from-flag", Map.of("POLYVISOR_TOKEN", "from-env"), cwd)).contains("from-flag");
    }

    @Test
    void environmentWinsOverFile() throws Exception {
        writeTokenFile("from-file\n");
        assertThat(TokenSource.resolve(null, Map.of("POLYVISOR_TOKEN", "from-env"), cwd)).contains("from-env");
    }

    @Test
    void fileUnderDataIsTheLastResortWithItsNewlineStripped() throws Exception {
        writeTokenFile("from-file\n");
        assertThat(TokenSource.resolve(null, Map.of(), cwd)).contains("from-file");
    }

    @Test
    void blankValuesCountAsAbsent() throws Exception {
        writeTokenFile("from-file");
        assertThat(TokenSource.resolve("  ", Map.of("POLYVISOR_TOKEN", ""), cwd)).contains("from-file");
    }

    @Test
    void noTokenAnywhereIsEmpty() {
        assertThat(TokenSource.resolve(null, Map.of(), cwd)).isEqualTo(Optional.empty());
    }
}
