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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Automation levels through the real server: in manual mode the controller only plans; switched to
 * consolidate + full it carries the plan out by live migration through the sim driver, and the light host empties.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolidationEndToEndTest {
    BalancingServer fixture;
    RunningServer server;

    @BeforeAll
    void start(@TempDir Path data) {
        fixture = BalancingServer.start(data, 2);
        server = fixture.server;
    }

    @AfterAll
    void stop() {
        if (fixture != null) fixture.close();
    }

    private CliRun ok(String... args) {
        return fixture.ok(args);
    }

    private String hostOf(String vm) throws Exception {
        return Cli.JSON.readTree(ok("vm", "show", vm, "-o", "json").out()).get("host").asText();
    }

    @Test
    void manualOnlyPlansFullCarriesOut() throws Exception {
        ok("vm", "create", "c1", "--vcpus", "1", "--memory", "256M", "--host", "h1");
        ok("vm", "create", "c2", "--vcpus", "1", "--memory", "256M", "--host", "h2");
        JsonNode plan = Cli.JSON.readTree(ok("plan", "balance", "--mode", "consolidate", "-o", "json").out());
        assertThat(plan.get("moves")).hasSize(1);
        assertThat(plan.get("power_down")).hasSize(1);
        Thread.sleep(1500); // three controller rounds in manual mode
        assertThat(List.of(hostOf("c1"), hostOf("c2"))).containsExactly("h1", "h2");

        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(server.url().resolve("/api/v1/balance/settings"))
                .header("Authorization", "Bearer " + server.token()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"mode\":\"consolidate\",\"automation\":\"full\"}")).build();
        var resp = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(Cli.JSON.readTree(resp.body()).get("automation").asText()).isEqualTo("full");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(hostOf("c1")).isEqualTo(hostOf("c2")));
    }
}
