package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fencing through a real fence agent: Debian's {@code fence_dummy} from the fence-agents package (installed by
 * scripts/fence-agents-up; the test fails, it does not skip, when it is missing), driven by the stdin protocol.
 */
class FenceAgentTest {
    @TempDir
    Path dir;

    @Test
    void fenceAgentsPackageIsInstalled() {
        assertThat(Path.of("/usr/sbin/fence_dummy")).as("Debian package fence-agents (run scripts/fence-agents-up)").isExecutable();
    }

    @Test
    void aSuccessfulAgentFencesTheHostAndTurnsItOff() throws Exception {
        Path status = dir.resolve("h1.status");
        Files.writeString(status, "on");
        var fencer = new Fencer(h -> Optional.empty(), h -> Optional.of(new FenceConfig("fence_dummy", Map.of("status_file", status.toString()))),
                Duration.ofSeconds(20));
        assertThat(fencer.fence("h1")).isEqualTo(new FenceOutcome.Fenced("fence_dummy"));
        assertThat(Files.readString(status)).isEqualTo("off");
    }

    @Test
    void aFailingAgentGivesAFailedOutcomeWithItsReasonAndNoSecret() {
        var cfg = new FenceConfig("fence_dummy", Map.of("type", "fail", "power_timeout", "1", "passwd", "s3cret-pw"));
        var outcome = new Fencer(h -> Optional.empty(), h -> Optional.of(cfg), Duration.ofSeconds(20)).fence("h1");
        assertThat(outcome).isInstanceOfSatisfying(FenceOutcome.Failed.class, f -> {
            assertThat(f.reason()).startsWith("fence_dummy: fence_dummy off exited with status 1");
            assertThat(f.reason()).doesNotContain("s3cret-pw");
        });
        assertThat(cfg.redacted()).containsEntry("passwd", "***");
    }

    @Test
    void noMethodAtAllIsAFailureNotASuccess() {
        var outcome = new Fencer(h -> Optional.empty(), h -> Optional.empty(), Duration.ofSeconds(1)).fence("h1");
        assertThat(outcome).isEqualTo(new FenceOutcome.Failed("no fence method: the driver cannot fence and no fence agent is configured"));
    }

    @Test
    void anAgentThatHangsIsKilledAtTheTimeout() throws Exception {
        Path agent = dir.resolve("fence_hang");
        Files.writeString(agent, "#!/bin/sh\nsleep 30\n");
        agent.toFile().setExecutable(true);
        long t0 = System.nanoTime();
        var outcome = new Fencer(h -> Optional.empty(), h -> Optional.of(new FenceConfig(agent.toString(), Map.of())), Duration.ofMillis(500)).fence("h1");
        assertThat(outcome).isEqualTo(new FenceOutcome.Failed("fence_hang: fence_hang did not finish within 500 ms"));
        assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
    }

    @Test
    void theTestFleetAgentSpeaksTheSameProtocol() {
        Path agent = Path.of("..", "scripts", "fence_polyvisor_test_host").toAbsolutePath().normalize();
        var cfg = new FenceConfig(agent.toString(), Map.of("plug", "97", "base", dir.toString()));
        assertThat(new Fencer(h -> Optional.empty(), h -> Optional.of(cfg), Duration.ofSeconds(10)).fence("h97"))
                .isEqualTo(new FenceOutcome.Fenced("fence_polyvisor_test_host"));
    }

    @Test
    void configurationIsValidatedAndRoundTrips() {
        var cfg = new FenceConfig("fence_ipmilan", Map.of("ip", "10.0.0.1", "password", "x"));
        assertThat(FenceConfig.decode(cfg.encode())).isEqualTo(cfg);
        assertThatThrownBy(() -> new FenceConfig("/bin/rm", Map.of())).isInstanceOf(InvalidInput.class)
                .hasMessage("fence agent must be a fence_* program name or an absolute path to one, got '/bin/rm'");
        assertThatThrownBy(() -> new FenceConfig("fence_x", Map.of("action", "on"))).isInstanceOf(InvalidInput.class)
                .hasMessage("fence agent option 'action' is set by Polyvisor and must not be configured");
        assertThatThrownBy(() -> new FenceConfig("fence_x", Map.of("ip", "a\nb"))).isInstanceOf(InvalidInput.class)
                .hasMessage("fence agent option ip must be at most 1024 characters on one line");
    }
}
