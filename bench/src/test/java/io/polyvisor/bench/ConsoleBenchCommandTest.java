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

/**
 * {@code polyvisor bench console} at a small size in Debian's Chromium: every figure and its floor are measured and
 * consistent with each other. Not the targets: speed is the benchmark's to report, not a timed test's.
 */
class ConsoleBenchCommandTest {
    private static final List<String> FIGURES = List.of("vm_list_first_render_s", "vm_list_first_render_max_s",
            "vm_list_fetch_parse_s", "page_dom_content_loaded_s", "vm_list_answered_s", "filter_ms", "filter_p95_ms", "filter_floor_ms",
            "event_to_screen_p50_ms", "event_to_screen_p99_ms", "event_to_stream_p50_ms", "event_to_stream_p99_ms",
            "serial_echo_p50_ms", "serial_echo_p95_ms", "websocket_round_trip_p50_ms", "websocket_round_trip_p95_ms");

    @Test
    void measuresEveryFigureBesideItsFloorInChromium() throws Exception {
        var r = run("-o", "json", "bench", "console", "--vms", "100", "--hosts", "2", "--renders", "2", "--samples", "6");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("vms").asInt()).isEqualTo(100);
        for (String f : FIGURES) {
            assertThat(json.has(f)).as(f).isTrue();
            // no figure is zero or negative; none is longer than the waits that would have failed the run (60 s)
            assertThat(json.path(f).asDouble()).as(f).isGreaterThanOrEqualTo(0.0).isLessThan(f.endsWith("_s") ? 60 : 60_000);
        }
        assertThat(json.path("vm_list_first_render_s").asDouble()).isPositive();
        // a figure and its floor, where the gap is structural: the list is drawn after it is fetched. (The raw stream
        // is a second EventSource beside the console's own: since a vm.state event carries the state, the row is
        // drawn straight from the console's stream, and the two connections' medians can cross at 6 samples, as an
        // echo and a raw round trip can on a loaded machine, so neither pair is compared; CI saw screen 28.6 ms
        // against raw stream 38.6 ms once.)
        assertThat(json.path("vm_list_first_render_s").asDouble()).isGreaterThan(json.path("vm_list_fetch_parse_s").asDouble());
        assertThat(json.path("vm_list_first_render_s").asDouble()).isGreaterThan(json.path("vm_list_answered_s").asDouble());
        assertThat(json.path("filter_ms").asDouble()).isGreaterThan(json.path("filter_floor_ms").asDouble());
        assertThat(json.path("serial_echo_p50_ms").asDouble()).isPositive();
        assertThat(json.path("websocket_round_trip_p50_ms").asDouble()).isPositive();
        for (String p : List.of("filter", "event_to_screen", "event_to_stream", "serial_echo", "websocket_round_trip")) {
            String low = p.equals("filter") ? "filter_ms" : p + "_p50_ms";
            String high = p + (p.equals("event_to_screen") || p.equals("event_to_stream") ? "_p99_ms" : "_p95_ms");
            assertThat(json.path(high).asDouble()).as(high).isGreaterThanOrEqualTo(json.path(low).asDouble());
        }
        assertThat(json.path("targets_met").fieldNames()).toIterable()
                .containsExactly("vm_list_first_render_s", "filter_ms", "event_to_screen_p99_ms", "serial_echo_p95_ms");
    }

    @Test
    void refusesATooSmallFleet() throws Exception {
        var r = run("bench", "console", "--vms", "5");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("vms must be between 10 and 10000, got 5");
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
