package io.polyvisor.cli;

import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor ha ...} against a real in-process server with three simulated hosts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HaCliTest {
    RunningServer server;

    @BeforeAll
    void start(@TempDir Path data) {
        server = PolyvisorServer.start(ServerConfig.of(data).withPort(0).withSimHosts(3));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    CliRun cli(String... args) {
        return ServerCli.run(server, args);
    }

    @Test
    void settingsStatusAndFenceAgentsFromTheCommandLine() throws Exception {
        var set = cli("ha", "settings", "--tolerate-host-failures", "1");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("tolerate_host_failures", "1");

        var bad = cli("ha", "settings", "--tolerate-host-failures", "9");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("tolerate_host_failures must be between 0 and 8, got 9");

        var created = cli("vm", "create", "db1", "--vcpus", "1", "--memory", "256M", "--protect", "restart", "--priority", "5");
        assertThat(created.exit()).as(created.err()).isZero();

        var fence = cli("ha", "fence-agent", "h1", "--agent", "fence_ipmilan", "--option", "ip=10.0.0.11", "--option", "password=hunter2");
        assertThat(fence.exit()).as(fence.err()).isZero();
        assertThat(fence.out()).contains("fence_ipmilan", "***").doesNotContain("hunter2");

        var status = cli("ha", "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("Tolerate host failures: 1", "Admission: ok", "HEALTH", "db1", "restart", "fence_ipmilan");

        var web = cli("vm", "create", "web", "--vcpus", "1", "--memory", "256M", "--protect", "standby");
        assertThat(web.exit()).as(web.err()).isZero();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            var show = cli("vm", "show", "web");
            assertThat(show.out()).containsPattern("ha +primary; standby web-standby on h[123] \\(running\\)");
            assertThat(cli("vm", "show", "web-standby").out()).containsPattern("ha +standby; primary web on h[123] \\(running\\)");
        });

        var json = Cli.JSON.readTree(cli("ha", "status", "-o", "json").out());
        assertThat(json.path("protected_vms").findValuesAsText("name")).contains("db1", "web");
        assertThat(json.path("hosts").size()).isEqualTo(3);
    }

    @Test
    void aFenceAgentIsRemovedOnlyWhenAskedAndAnAgentOthersCanChangeIsRefused(@TempDir Path dir) throws Exception {
        assertThat(cli("ha", "fence-agent", "h2", "--agent", "fence_ipmilan", "--option", "ip=10.0.0.12").exit()).isZero();
        var token = Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "application/json");
        var http = java.net.http.HttpClient.newHttpClient();
        var path = server.url().resolve("/api/v1/ha/hosts/h2/fence-agent");
        var empty = http.send(java.net.http.HttpRequest.newBuilder(path).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .header("Authorization", token.get("Authorization")).header("Content-Type", "application/json").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
        assertThat(empty.body()).contains("agent is required: a fence_* program name or absolute path, or null to remove the host's fence agent");
        assertThat(cli("ha", "fence-agent", "h2").out()).as("the agent is still there").contains("fence_ipmilan");

        // an agent in a folder every local user may write to: anyone could swap it for their own program
        Path open = java.nio.file.Files.createDirectory(dir.resolve("open"));
        java.nio.file.Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path agent = java.nio.file.Files.writeString(open.resolve("fence_mine"), "#!/bin/sh\nexit 0\n");
        java.nio.file.Files.setPosixFilePermissions(agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        var refused = cli("ha", "fence-agent", "h2", "--agent", agent.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("fence agent folder " + open.toRealPath() + " is writable by its group or by others");
        java.nio.file.Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Files.setPosixFilePermissions(agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(cli("ha", "fence-agent", "h2", "--agent", agent.toString()).err())
                .contains("fence agent " + agent.toRealPath() + " is writable by its group or by others");
        java.nio.file.Files.setPosixFilePermissions(agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        var accepted = cli("ha", "fence-agent", "h2", "--agent", agent.toString());
        assertThat(accepted.exit()).as(accepted.err()).isZero();

        var removed = cli("ha", "fence-agent", "h2", "--remove");
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(Cli.JSON.readTree(cli("ha", "fence-agent", "h2", "-o", "json").out()).path("agent").isNull()).isTrue();
    }
}
