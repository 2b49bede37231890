package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * {@code polyvisor bench storage -o json} on its own two fleet hosts (one round, two clones): every operation measured
 * for both systems, ratios and targets consistent with the medians; bad options refused before anything starts.
 */
class StorageBenchCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run bench(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void measuresClonesBootsAndBlockMigrationsForBothSystemsAndPrintsRatios() throws Exception {
        var run = bench("bench", "storage", "--clones", "2", "--rounds", "1", "-o", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("hosts")).hasSize(2);
        for (var op : List.of("clone", "boot_from_disk", "block_migration")) {
            double direct = json.path("direct").path(op + "_s").path("median").asDouble();
            double pv = json.path("polyvisor").path(op + "_s").path("median").asDouble();
            assertThat(direct).as("direct " + op).isPositive();
            assertThat(pv).as("polyvisor " + op).isPositive();
            assertThat(json.path(op + "_ratio").asDouble()).as(op).isCloseTo(pv / direct, offset(0.01 + 0.001 / direct));
            assertThat(json.path("targets_met").path(op + "_ratio").asBoolean()).isEqualTo(json.path(op + "_ratio").asDouble() <= 1.15);
        }
        assertThat(json.path("polyvisor").path("clone_s").path("samples")).as("two clones, one round").hasSize(2);
        assertThat(json.path("polyvisor").path("boot_from_disk_s").path("samples")).hasSize(1);
        assertThat(json.path("clones_per_sec").asDouble()).isPositive().isEqualTo(json.path("polyvisor").path("clones_per_sec").asDouble());
        assertThat(json.path("direct").path("clones_per_sec").asDouble()).isPositive();
    }

    @Test
    void refusesOptionsOutOfRange() {
        var run = bench("bench", "storage", "--clones", "0");
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("clones must be between 1 and 50, got 0");
        run = bench("bench", "storage", "--rounds", "21");
        assertThat(run.err()).contains("rounds must be between 1 and 20, got 21");
    }
}
