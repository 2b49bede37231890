package io.polyvisor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Sizes;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimScaleBenchTest {

    @Test
    void measuresTheDataCentreItBuiltAndTheSimulatedTimeOfItsMigrations() {
        var r = SimScaleBench.run(new SimScaleBench.Settings(50, 4, 20, 4 * Sizes.GiB, 1));
        assertThat(r.hosts()).isEqualTo(50);
        assertThat(r.vms()).isEqualTo(200);
        assertThat(r.migrations()).isEqualTo(20);
        // 20 idle 4 GiB guests at 1 GiB/s: 4 s each on the virtual clock
        assertThat(r.simulatedMigrationSeconds()).isEqualTo(80.0);
        assertThat(r.spiCallsPerSecond()).isPositive();
        assertThat(r.observeSweepMillis()).isPositive();
    }

    @Test
    void settingsAreValidatedWithExactMessages() {
        assertThatThrownBy(() -> new SimScaleBench.Settings(1, 4, 0, Sizes.GiB, 1)).isInstanceOf(InvalidInput.class)
                .hasMessage("hosts must be between 2 and 100000, got 1");
        assertThatThrownBy(() -> new SimScaleBench.Settings(10, 2, 21, Sizes.GiB, 1)).isInstanceOf(InvalidInput.class)
                .hasMessage("migrations must be between 0 and the number of VMs (20), got 21");
    }

    @Test
    void theCommandPrintsSnakeCaseJsonWithUnitsInNames() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "sim", "--hosts", "20", "--vms-per-host", "2", "--migrations", "5", "-o", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.get("vms").asInt()).isEqualTo(40);
        assertThat(json.get("simulated_migration_s").asDouble()).isEqualTo(20.0);
        assertThat(json.fieldNames()).toIterable().containsExactly("hosts", "vms", "baseline_map_ms", "build_ms",
                "spi_calls_per_sec", "overhead_vs_map_factor", "heap_bytes_per_vm", "observe_sweep_ms", "migrations",
                "simulated_migration_s", "migration_wall_ms");
    }
}
