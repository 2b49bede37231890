package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduler and balancer through the real server and CLI (embedded store, three simulated hosts): explain
 * placement, plan balance, and maintenance evacuation by live migration through the balancer controller.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BalancingEndToEndTest {
    BalancingServer fixture;
    RunningServer server;

    @BeforeAll
    void start(@TempDir Path data) {
        fixture = BalancingServer.start(data, 3);
        server = fixture.server;
    }

    @AfterAll
    void stop() {
        if (fixture != null) fixture.close();
    }

    private CliRun ok(String... args) {
        return fixture.ok(args);
    }

    private JsonNode json(String... args) throws Exception {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        return Cli.JSON.readTree(ok(all.toArray(String[]::new)).out());
    }

    @Test
    void explainPlacementShowsScoresAndExclusions() throws Exception {
        ok("vm", "create", "ex1", "--vcpus", "1", "--memory", "256M", "--label", "host.avoid.nothing=x");
        var out = ok("explain", "placement", "ex1").out();
        assertThat(out).startsWith("placement of ex1: host h").containsPattern("(?m)^HOST +SCORE +SCORERS +EXCLUDED_BY +REASON")
                .contains("binpack=");
        JsonNode e = json("explain", "placement", "ex1");
        assertThat(e.get("hosts")).hasSize(3);
        assertThat(e.get("hosts").get(0).get("scores").has("binpack")).isTrue();
    }

    @Test
    void maintenanceEvacuatesRunningVmsByLiveMigration() throws Exception {
        ok("vm", "create", "ev1", "--vcpus", "1", "--memory", "256M", "--host", "h3");
        ok("vm", "create", "ev2", "--vcpus", "1", "--memory", "256M", "--host", "h3");
        ok("host", "maintenance", "h3", "on");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String vm : List.of("ev1", "ev2")) {
                JsonNode v = json("vm", "show", vm);
                assertThat(v.get("host").asText()).isNotEqualTo("h3");
                assertThat(v.get("state").asText()).isEqualTo("running");
            }
        });
        JsonNode tasks = json("tasks", "--vm", "ev1");
        assertThat(tasks.findValuesAsText("kind")).contains("migrate");
        ok("host", "maintenance", "h3", "off");
    }

    @Test
    void planBalanceListsMovesWithReasons() throws Exception {
        JsonNode plan = json("plan", "balance", "--mode", "consolidate");
        assertThat(plan.get("mode").asText()).isEqualTo("consolidate");
        for (JsonNode m : plan.get("moves")) assertThat(m.get("reason").asText()).isNotBlank();
        assertThat(ok("plan", "balance").out()).startsWith("balance plan: ");
    }
}
