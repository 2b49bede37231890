package io.polyvisor.bench;

import io.polyvisor.bench.autoscale.Scenario;
import io.polyvisor.bench.autoscale.SimParams;
import io.polyvisor.bench.autoscale.TraceBench;
import io.polyvisor.bench.autoscale.UnseenScenarios;
import io.polyvisor.cli.Cli;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code polyvisor bench autoscale --trace DIR|FILE}: replays demand scenarios on a simulated clock under Polyvisor's
 * policy (core {@code TargetTracking}, as the group controller runs it) and the reference policies, in one run.
 */
@Command(name = "autoscale", description = {
        "Replay demand scenarios (CSV t_s,demand_vcpus) under polyvisor, hpa, aws-target-tracking and oneflow with the same",
        "member start times and metric delay; print violation seconds, VM hours, scaling actions and flaps per policy."})
public final class BenchAutoscale implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--trace", paramLabel = "DIR|FILE", description = "A scenario file or a folder of them (shared/data/autoscale).")
    Path trace;

    @Option(names = "--unseen", defaultValue = "0", paramLabel = "N",
            description = "Also replay N generated scenarios of the same format and sizes (3-60 vCPUs) the policy was not developed on.")
    int unseen;

    @Option(names = "--seed", defaultValue = "20261202", description = "Seed of the generated scenarios (default 20261202).")
    long seed;

    @Option(names = "--warm", defaultValue = "0", description = "Warm members every policy's group keeps (default 0).")
    int warm;

    @Option(names = "--metric-delay", defaultValue = "5", paramLabel = "S", description = "Seconds every policy's metric lags demand (default 5).")
    int metricDelay;

    @Option(names = "--real", description = {"Instead: a group of tiny real QEMU guests on 2 libvirt hosts (scripts/test-hosts) behind",
            "its HAProxy under hey load: warm_reaction_s, cold_reaction_s, failed_requests, guest_boot_s."})
    boolean real;

    @Override
    public void run() {
        Cli cli = Cli.of(spec);
        if (real) {
            realRun(cli);
            return;
        }
        InvalidInput.require(trace != null || unseen > 0, "give --trace DIR|FILE, --unseen N, --real, or --trace with --unseen");
        InvalidInput.require(unseen >= 0 && unseen <= 1000, "--unseen must be between 0 and 1000, got " + unseen);
        SimParams p = SimParams.defaults().withWarm(warm).withMetricDelay(metricDelay);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("setup", setup(p));
        var text = new StringBuilder(setupLine(p));
        if (trace != null) {
            List<Scenario> scenarios = Scenario.load(trace);
            var results = TraceBench.run(scenarios, p);
            doc.put("scenarios", scenarios.stream().map(Scenario::name).toList());
            doc.put("results", results.stream().map(TraceBench.PolicyResult::json).toList());
            doc.put("targets", TraceBench.targets(results));
            text.append(TraceBench.table(scenarios.size() + " scenario(s) from " + trace + ":", results));
        }
        if (unseen > 0) {
            List<Scenario> scenarios = UnseenScenarios.generate(unseen, seed);
            var results = TraceBench.run(scenarios, p);
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("seed", seed);
            u.put("count", unseen);
            u.put("results", results.stream().map(TraceBench.PolicyResult::json).toList());
            u.put("targets", TraceBench.targets(results));
            doc.put("unseen", u);
            text.append(TraceBench.table(unseen + " generated scenario(s), seed " + seed + ":", results));
        }
        if (cli.json()) cli.printJson(doc);
        else cli.out().print(text);
    }

    private static void realRun(Cli cli) {
        Path work;
        try {
            work = java.nio.file.Files.createTempDirectory(Path.of("/var/tmp"), "polyvisor-autoscale-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        cli.err().println("a group of tiny guests on 2 libvirt hosts under hey load (about 3 minutes)...");
        var r = io.polyvisor.bench.autoscale.RealGroupScenario.run(work);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("warm_reaction_s", r.warmReactionS());
        doc.put("cold_reaction_s", r.coldReactionS());
        doc.put("failed_requests", r.failedRequests());
        doc.put("guest_boot_s", r.guestBootS());
        doc.put("warm_resume_queued_s", r.warmResumeQueuedS());
        doc.put("cold_created_s", r.coldCreatedS());
        doc.put("cold_boot_under_load_s", r.coldBootUnderLoadS());
        doc.put("requests", r.requests());
        doc.put("grew_to", r.grewTo());
        doc.put("shrank_to", r.shrankTo());
        doc.put("warm_after", r.warmAfter());
        doc.put("setup", "min 1, max 3, rps=10, warm 1, evaluation every 5 s, scale-out probe every 1 s; hey -z 45s -q 10 -c 3, then -z 60s -q 2 -c 1");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("warm_at_most_3_s", r.warmReactionS() <= 3);
        t.put("cold_at_most_boot_plus_3_s", r.coldReactionS() <= r.guestBootS() + 3);
        t.put("zero_failed_requests", r.failedRequests() == 0);
        doc.put("targets", t);
        if (cli.json()) cli.printJson(doc);
        else cli.out().printf("warm reaction %.2f s, cold reaction %.2f s (guest boot %.2f s), %d requests, %d failed; targets %s%n",
                r.warmReactionS(), r.coldReactionS(), r.guestBootS(), r.requests(), r.failedRequests(), t);
    }

    private static Map<String, Object> setup(SimParams p) {
        var m = new LinkedHashMap<String, Object>();
        m.put("member_vcpus", p.memberVcpus());
        m.put("min", p.min());
        m.put("max", p.max());
        m.put("target", "cpu=" + (int) p.targetCpu());
        m.put("cold_start_s", p.coldStartS());
        m.put("warm_start_s", p.warmStartS());
        m.put("warm", p.warm());
        m.put("metric_delay_s", p.metricDelayS());
        m.put("drain_s", p.drainS());
        m.put("start_times_from", "cold: median guest_boot_s 4.54 s of 8 real-guest runs (docs/BENCHMARKS.md) + 2 health checks 1 s apart;"
                + " warm: 1 s resume + the same 2 checks");
        return m;
    }

    private static String setupLine(SimParams p) {
        return String.format(java.util.Locale.ROOT, "members of %d vCPUs, min %d, max %d, target cpu=%d; cold start %.2f s, warm start %.2f s,"
                + " warm pool %d, metric delay %d s, drain %d s (the same for every policy)%n", p.memberVcpus(), p.min(), p.max(),
                (int) p.targetCpu(), p.coldStartS(), p.warmStartS(), p.warm(), p.metricDelayS(), p.drainS());
    }
}
