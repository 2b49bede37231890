package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor group ...} against a real in-process server with simulated hosts and real HAProxy processes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupCliTest {
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
    void createShowScaleUpdateListDelete() throws Exception {
        var created = cli("group", "create", "web", "--vcpus", "1", "--memory", "64M", "--kernel", "/boot/vmlinuz", "--initrd",
                "/boot/initrd", "--port", "80", "--min", "2", "--max", "10", "--target", "cpu=60");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("Group web (active)", "endpoint 127.0.0.1:", "target cpu=60", "balancer running");

        JsonNode shown = null;
        for (int i = 0; i < 100; i++) { // the controller launches the first two members
            var show = cli("-o", "json", "group", "show", "web");
            assertThat(show.exit()).as(show.err()).isZero();
            shown = new ObjectMapper().readTree(show.out());
            if (shown.path("members").size() == 2) break;
            Thread.sleep(100);
        }
        assertThat(shown.path("desired").asInt()).isEqualTo(2);
        assertThat(shown.path("endpoint").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(shown.path("members")).allSatisfy(m -> {
            assertThat(m.path("name").asText()).startsWith("web-");
            assertThat(m.has("host")).isTrue();
            assertThat(m.has("state")).isTrue();
            assertThat(m.path("in_rotation").isBoolean()).isTrue();
        });
        assertThat(shown.path("decisions").get(0).path("reason").asText()).contains("launch 2");

        var text = cli("group", "show", "web");
        assertThat(text.out()).contains("MEMBER", "web-1", "IN ROTATION", "REASON");

        var scaleTracked = cli("group", "scale", "web", "3");
        assertThat(scaleTracked.exit()).isNotZero();
        assertThat(scaleTracked.err()).contains("group web tracks cpu=60; change its min and max, or remove its target");

        var manual = cli("group", "update", "web", "--target", "none", "--max", "4");
        assertThat(manual.exit()).as(manual.err()).isZero();
        assertThat(manual.out()).contains("target none (scaled by hand)", "max 4");
        var scaled = cli("group", "scale", "web", "3");
        assertThat(scaled.exit()).as(scaled.err()).isZero();
        assertThat(scaled.out()).contains("Desired 3");

        var list = cli("group", "list");
        assertThat(list.out()).contains("NAME", "IN ROTATION", "web", "127.0.0.1:");

        var minOverMax = cli("group", "create", "bad", "--memory", "64M", "--port", "80", "--min", "5", "--max", "2");
        assertThat(minOverMax.exit()).isNotZero();
        assertThat(minOverMax.err()).contains("min (5) must not be greater than max (2)");
        var unknown = cli("group", "create", "bad", "--memory", "64M", "--port", "80", "--max", "2", "--target", "disk=5");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("unknown target metric 'disk'");

        var deleted = cli("group", "delete", "web");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("group web is being deleted");
        for (int i = 0; i < 200 && !cli("-o", "json", "group", "list").out().strip().equals("[ ]"); i++) Thread.sleep(100);
        assertThat(new ObjectMapper().readTree(cli("-o", "json", "group", "list").out())).isEmpty();
    }
}
