package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.polyvisor.bench.ConsoleBench.Figures.p;

/** {@code polyvisor bench console}: the web console's speed in Debian's Chromium, each figure beside its floor. */
@Command(name = "console", description = "The web console in Debian's headless Chromium (scripts/chromium-up) against its own "
        + "server with N VMs on the simulator: first render of the VM list, a filter, event commit to screen, serial "
        + "echo; each beside a floor measured in the same run and page (fetch+parse of the list, the same filter in plain "
        + "JS, the event's arrival on a raw event stream, a raw WebSocket round trip). Targets (issue 14): first render "
        + "<= 1 s, filter <= 100 ms, event to screen p99 <= 200 ms, serial echo p95 <= 50 ms.")
public final class ConsoleBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vms", defaultValue = "1000", description = "VMs on the simulator (default ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--hosts", defaultValue = "10", description = "Simulated hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--renders", defaultValue = "5", description = "Fresh loads of the VM list (default ${DEFAULT-VALUE}).")
    int renders;

    @Option(names = "--samples", defaultValue = "50", description = "Filters, events and keys each (default ${DEFAULT-VALUE}).")
    int samples;

    @Override
    public Integer call() throws Exception {
        InvalidInput.require(vms >= 10 && vms <= 10_000, "vms must be between 10 and 10000, got " + vms);
        InvalidInput.require(hosts >= 1 && hosts <= 100, "hosts must be between 1 and 100, got " + hosts);
        InvalidInput.require(renders >= 1 && renders <= 100, "renders must be between 1 and 100, got " + renders);
        InvalidInput.require(samples >= 2 && samples <= 1000, "samples must be between 2 and 1000, got " + samples);
        var f = ConsoleBench.run(new ConsoleBench.Settings(vms, hosts, renders, samples));
        var top = new LinkedHashMap<String, Object>();
        top.put("vms", f.vms());
        top.put("vm_list_first_render_s", round(p(f.firstRenderS(), 50)));
        top.put("vm_list_first_render_max_s", round(p(f.firstRenderS(), 100)));
        top.put("vm_list_fetch_parse_s", round(p(f.fetchParseS(), 50)));
        top.put("page_dom_content_loaded_s", round(f.domContentLoadedS()));
        top.put("vm_list_answered_s", round(p(f.listAnsweredS(), 50)));
        top.put("filter_ms", round(p(f.filterMs(), 50)));
        top.put("filter_p95_ms", round(p(f.filterMs(), 95)));
        top.put("filter_floor_ms", round(p(f.filterFloorMs(), 50)));
        top.put("event_to_screen_p50_ms", round(p(f.eventToScreenMs(), 50)));
        top.put("event_to_screen_p99_ms", round(p(f.eventToScreenMs(), 99)));
        top.put("event_to_stream_p50_ms", round(p(f.sseArrivalMs(), 50)));
        top.put("event_to_stream_p99_ms", round(p(f.sseArrivalMs(), 99)));
        top.put("serial_echo_p50_ms", round(p(f.echoMs(), 50)));
        top.put("serial_echo_p95_ms", round(p(f.echoMs(), 95)));
        top.put("websocket_round_trip_p50_ms", round(p(f.socketRoundTripMs(), 50)));
        top.put("websocket_round_trip_p95_ms", round(p(f.socketRoundTripMs(), 95)));
        top.put("renders", renders);
        top.put("samples", samples);
        top.put("targets_met", targets(top));
        var cli = Cli.of(spec);
        if (cli.json()) {
            cli.printJson(top);
            return 0;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "%-28s %10s  %-30s %10s  %s%n", "FIGURE", "VALUE", "FLOOR (SAME RUN)", "VALUE", "TARGET");
        row(out, "vm list first render s", top.get("vm_list_first_render_s"), "fetch+parse of the list s", top.get("vm_list_fetch_parse_s"), "<= 1");
        row(out, "filter ms (p50)", top.get("filter_ms"), "same filter in plain JS ms", top.get("filter_floor_ms"), "<= 100");
        row(out, "event to screen p50 ms", top.get("event_to_screen_p50_ms"), "event to raw stream p50 ms", top.get("event_to_stream_p50_ms"), "");
        row(out, "event to screen p99 ms", top.get("event_to_screen_p99_ms"), "event to raw stream p99 ms", top.get("event_to_stream_p99_ms"), "<= 200");
        row(out, "serial echo p95 ms", top.get("serial_echo_p95_ms"), "raw WebSocket round trip p95", top.get("websocket_round_trip_p95_ms"), "<= 50");
        out.printf(Locale.ROOT, "%d VMs; %d loads, %d samples each; targets met: %s%n", vms, renders, samples, top.get("targets_met"));
        return 0;
    }

    /** Which of issue 14's targets this run meets, by name. */
    private static Map<String, Boolean> targets(Map<String, Object> top) {
        var met = new LinkedHashMap<String, Boolean>();
        for (var t : List.of(Map.entry("vm_list_first_render_s", 1.0), Map.entry("filter_ms", 100.0),
                Map.entry("event_to_screen_p99_ms", 200.0), Map.entry("serial_echo_p95_ms", 50.0))) {
            met.put(t.getKey(), (Double) top.get(t.getKey()) <= t.getValue());
        }
        return met;
    }

    private static void row(java.io.PrintStream out, String name, Object value, String floorName, Object floor, String target) {
        out.printf(Locale.ROOT, "%-28s %10s  %-30s %10s  %s%n", name, value, floorName, floor, target);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
