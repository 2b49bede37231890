package io.polyvisor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CoordinationBenchTest {
    @Test
    void measuresFailoverAfterDetectionAndKvBesideTheStoreInOneRun() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"-o", "json", "bench", "coordination", "--guests", "4", "--seconds", "0.5", "--phases", "1",
                        "--failovers", "1", "--ttl", "30"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        var round = json.path("failovers").get(0);
        // the lease moves only after HA fenced the holder's host, and long before its TTL would have run out
        assertThat(round.path("revoked_s").asDouble()).isGreaterThanOrEqualTo(round.path("fenced_s").asDouble());
        assertThat(round.path("fenced_s").asDouble()).isGreaterThanOrEqualTo(round.path("detect_s").asDouble());
        assertThat(round.path("leader_failover_s").asDouble()).isGreaterThanOrEqualTo(round.path("revoked_s").asDouble());
        assertThat(round.path("ttl_only_wait_s").asDouble()).isBetween(25.0, 30.0);
        assertThat(json.path("leader_failover_s").asDouble()).isLessThan(json.path("ttl_only_wait_s").asDouble());
        assertThat(round.path("new_token").asLong()).isGreaterThan(round.path("old_token").asLong());
        assertThat(json.path("kv_ops_per_sec").asDouble()).isPositive();
        assertThat(json.path("store_ops_per_sec").asDouble()).isPositive();
        assertThat(json.path("kv_p99_ms").asDouble()).isGreaterThanOrEqualTo(json.path("kv_p50_ms").asDouble());
        assertThat(json.path("targets_met").has("failover")).isTrue();
        assertThat(json.path("targets_met").has("kv_throughput")).isTrue();
    }
}
