package io.polyvisor.bench.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code polyvisor bench network -o json} on its own namespaced fleet of two real libvirt hosts: both placements
 * measured from inside the guests, both migrations watched, ratios consistent with the samples.
 */
class NetworkBenchCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesBadOptionsBeforeStartingAnything() {
        var r = run("bench", "network", "--rounds", "0");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("rounds must be between 1 and 20, got 0");
        assertThat(run("bench", "network", "--blob", "25").err()).contains("blob must be between 1 and 24 MiB (it is kept in the 128 MiB guest's memory), got 25");
    }

    @Test
    void measuresVxlanAgainstTheBridgeAndWatchesBothMigrations() throws Exception {
        var r = run("bench", "network", "--rounds", "1", "--blob", "8", "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        var json = new ObjectMapper().readTree(r.out());
        double vx = json.path("vxlan").get(0).path("mbit_s").asDouble();
        double br = json.path("bridge").get(0).path("mbit_s").asDouble();
        assertThat(vx).isPositive();
        assertThat(br).isPositive();
        assertThat(json.path("throughput_ratio").asDouble()).isCloseTo(vx / br, org.assertj.core.data.Offset.offset(0.01));
        assertThat(json.path("vxlan").get(0).path("rtt_ms").asDouble()).isPositive();
        var migrations = json.path("migrations");
        assertThat(migrations).hasSize(2);
        assertThat(migrations.get(0).path("from").asText()).isEqualTo("h2");
        assertThat(migrations.get(1).path("to").asText()).isEqualTo("h2");
        for (var m : migrations) {
            assertThat(m.path("downtime_s").asDouble()).as(m.toString()).isPositive();
            assertThat(m.path("outage_s").asDouble()).as("a peer sees at least one probe interval without answer: " + m)
                    .isGreaterThanOrEqualTo(m.path("probe_interval_s").asDouble()).isLessThan(30);
        }
        assertThat(json.path("targets").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("throughput_ratio_at_least_0_8", "convergence_within_downtime_plus_0_1_s");
    }
}
