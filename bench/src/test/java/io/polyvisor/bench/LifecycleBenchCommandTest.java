package io.polyvisor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.libvirt.TinyGuest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor bench lifecycle -o json} against a real fleet host: both systems measured, ratios consistent. */
class LifecycleBenchCommandTest {
    @Test
    void measuresPolyvisorAndLibvirtOnOneHostAndPrintsRatios() throws Exception {
        var host = TestFleet.up(1).get(0);
        var img = TinyGuest.image();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"bench", "lifecycle", "--host", host.toString(), "--vms", "2",
                        "--kernel", img.kernel().toString(), "--initrd", img.initrd().toString(), "-o", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.path("vms").asInt()).isEqualTo(2);
        for (var system : List.of("polyvisor", "libvirt")) {
            var s = json.path(system);
            assertThat(s.path("create_to_running_s").asDouble()).as(system).isPositive();
            assertThat(s.path("delete_s").asDouble()).as(system).isPositive();
            assertThat(s.path("create_to_running_p95_s").asDouble()).isGreaterThanOrEqualTo(s.path("create_to_running_s").asDouble());
        }
        assertThat(json.path("ratio").path("create_to_running").asDouble()).isCloseTo(
                json.path("polyvisor").path("create_to_running_s").asDouble() / json.path("libvirt").path("create_to_running_s").asDouble(),
                org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void percentileIsNearestRank() {
        var sorted = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(LifecycleBench.percentile(sorted, 50)).isEqualTo(5.0);
        assertThat(LifecycleBench.percentile(sorted, 95)).isEqualTo(10.0);
        assertThat(LifecycleBench.percentile(List.of(3.0), 95)).isEqualTo(3.0);
    }
}
