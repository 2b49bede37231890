package io.polyvisor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiBenchTest {
    @Test
    void printsEveryWorkloadWithItsBaselineRatioAsSnakeCaseJson() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"-o", "json", "bench", "api", "--vms", "6", "--concurrency", "2", "--hosts", "2"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.path("results")).extracting(r -> r.path("workload").asText()).containsExactly("driver_define_start",
                "driver_destroy_undefine", "api_create_to_running", "http_healthz", "api_get_vm", "api_list_vms", "api_delete_to_gone");
        for (var r : json.path("results")) {
            assertThat(r.path("ops").asInt()).isEqualTo(6);
            assertThat(r.path("p50_ms").asDouble()).isPositive();
            assertThat(r.path("p99_ms").asDouble()).isGreaterThanOrEqualTo(r.path("p50_ms").asDouble());
            assertThat(r.has("p50_vs_baseline_ratio")).isTrue();
        }
        // the control plane cannot be faster than the driver calls it makes
        assertThat(json.path("results").get(2).path("p50_vs_baseline_ratio").asDouble()).isGreaterThan(1.0);
    }
}
