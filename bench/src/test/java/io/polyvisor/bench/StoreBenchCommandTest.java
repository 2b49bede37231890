package io.polyvisor.bench;

import io.polyvisor.cli.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.store.PostgresStoreTestAccess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor bench store}: runs every workload on both databases and reports figures against the baseline. */
class StoreBenchCommandTest {
    private static final List<String> WORKLOADS =
            List.of("jdbc_insert", "create_vm", "update_vm", "replace_vm", "append_event", "vm_by_name");

    @Test
    void measuresEveryWorkloadOnH2AndPostgresAgainstTheBaseline() throws Exception {
        var r = CliRun.of("bench", "store", "-o", "json", "--ops", "40", "--threads", "2",
                "--db", PostgresStoreTestAccess.url(), "--db-user", PostgresStoreTestAccess.user(),
                "--db-password", PostgresStoreTestAccess.password());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        JsonNode runs = Cli.JSON.readTree(r.out()).get("runs");
        assertThat(runs).extracting(n -> n.get("database").asText()).containsExactly("h2", "postgresql");
        for (JsonNode run : runs) {
            var names = new ArrayList<String>();
            for (JsonNode result : run.get("results")) {
                names.add(result.get("workload").asText());
                assertThat(result.get("ops").asInt()).isEqualTo(40);
                assertThat(result.get("ops_per_s").asDouble()).isPositive();
                assertThat(result.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(result.get("p50_ms").asDouble());
            }
            assertThat(names).containsExactlyElementsOf(WORKLOADS);
            assertThat(run.get("results").get(0).get("p50_vs_baseline_ratio").asDouble()).isEqualTo(1.0);
        }
    }

    @Test
    void refusesNonsenseCounts() {
        var r = CliRun.of("bench", "store", "--threads", "0");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("threads must be between 1 and 64, got 0");
    }
}
