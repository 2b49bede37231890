package io.polyvisor.bench;

import io.polyvisor.cli.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench commands' contract: options, the printed comparison and the -o json shape (small inputs; figures are benchmarks). */
class BenchCommandsTest {
    @Test
    void consolidationPrintsEveryPolicyAsJsonWithSnakeCaseUnits(@TempDir Path day) throws Exception {
        for (int v = 0; v < 8; v++) {
            var b = new StringBuilder();
            for (int i = 0; i < 288; i++) b.append((v * 7 + i) % 60).append('\n');
            Files.writeString(day.resolve("node" + v + "_slice"), b);
        }
        CliRun r = CliRun.of("bench", "consolidation", "--trace", day.toString(), "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("results")).hasSize(7);
        assertThat(doc.get("results").findValuesAsText("policy"))
                .containsExactly("polyvisor", "thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2", "dvfs", "npa");
        for (JsonNode p : doc.get("results")) {
            assertThat(p.fieldNames()).toIterable().contains("energy_kwh", "served_bound_kwh", "slatah", "pdm", "slav", "esv", "migrations", "per_day");
            assertThat(p.get("per_day").get(0).fieldNames()).toIterable().contains("served_bound_kwh", "energy_over_served_bound");
        }
        assertThat(doc.get("targets").fieldNames()).toIterable().contains("best_reference_policy", "energy_over_served_bound");
        assertThat(doc.get("results").get(6).get("energy_kwh").asDouble()).isCloseTo(2410.8, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void consolidationRefusesAMissingFolder() {
        CliRun r = CliRun.of("bench", "consolidation", "--trace", "/nonexistent/planetlab");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("--trace must be a folder of trace files or of day folders, got '/nonexistent/planetlab'");
    }

    @Test
    void placementReportsThreePoliciesAndTheirCapacityAgainstTheBoundInOneRun() throws Exception {
        CliRun r = CliRun.of("bench", "placement", "--hosts", "50", "--vms", "400", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("results").findValuesAsText("policy")).containsExactly("polyvisor", "best-fit-indexed", "best-fit-decreasing");
        for (JsonNode p : doc.get("results")) {
            assertThat(p.get("placed").asInt()).as(p.toString()).isEqualTo(400);
            assertThat(p.get("capacity_vs_bound").asDouble()).as("no placement opens less than the fluid bound").isGreaterThanOrEqualTo(1.0);
            assertThat(p.fieldNames()).toIterable().contains("placements_per_sec", "p50_us", "p99_us", "heap_mb", "hosts_used", "cores_opened");
        }
        assertThat(doc.get("targets_met").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("capacity_vs_bound_at_most_1_02", "placements_per_sec_at_least_best_fit_indexed");
        CliRun table = CliRun.of("bench", "placement", "--hosts", "20", "--vms", "100");
        assertThat(table.out()).contains("POLICY", "best-fit-indexed", "best-fit-decreasing", "VS_BOUND", "fluid lower bound");
    }
}
