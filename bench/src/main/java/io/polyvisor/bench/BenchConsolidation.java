package io.polyvisor.bench;

import io.polyvisor.cli.*;

import io.polyvisor.bench.replay.ConsolidationBench;
import io.polyvisor.bench.replay.ConsolidationReport;
import io.polyvisor.bench.replay.ReplayResult;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code polyvisor bench consolidation --trace DIR}: replays PlanetLab days with the CCPE 2012 setup and
 * prints Polyvisor's consolidation mode beside the reference implementations, all in one run.
 */
@Command(name = "consolidation", description = {
        "Replay PlanetLab CPU traces with the CCPE 2012 / CloudSim 3.0.3 setup (800 hosts, 300 s ticks) and print energy,",
        "SLATAH, PDM, SLAV, ESV and migrations for Polyvisor and the reference policies, beside CloudSim's released figures."})
public final class BenchConsolidation implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--trace", required = true, paramLabel = "DIR",
            description = "A day folder (shared/data/planetlab/20110303) or the folder holding the day folders.")
    Path trace;

    @Option(names = "--days", paramLabel = "all|YYYYMMDD,...", defaultValue = "all",
            description = "With a folder of days: all of them (default) or a comma-separated list.")
    String days;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Policies to replay (default: polyvisor,thr-mmt-0.8,lr-mmt-1.2,dvfs,npa; also thr-mmt-1.0).")
    List<String> policies = new ArrayList<>(ConsolidationBench.DEFAULT_POLICIES);

    @Option(names = "--threads", defaultValue = "2", description = "Replays run in parallel (default 2).")
    int threads;

    @Override
    public void run() {
        Cli cli = Cli.of(spec);
        InvalidInput.require(Files.isDirectory(trace), "--trace must be a folder of trace files or of day folders, got '" + trace + "'");
        InvalidInput.require(threads >= 1 && threads <= 64, "--threads must be between 1 and 64, got " + threads);
        List<String> only = "all".equals(days) ? List.of() : List.of(days.split(","));
        for (String d : only) InvalidInput.require(d.matches("\\d{8}"), "--days must be all or YYYYMMDD,..., got '" + d + "'");
        List<Path> dirs = ConsolidationBench.days(trace, only);
        InvalidInput.require(!dirs.isEmpty(), "no day folder under " + trace + " matches --days " + days);
        cli.err().printf("replaying %d day(s) x %d policies on %d thread(s)...%n", dirs.size(), policies.size(), threads);
        List<ReplayResult> results = ConsolidationBench.run(dirs, policies, threads);
        ConsolidationReport report = new ConsolidationReport(results);
        if (cli.json()) cli.printJson(report.json());
        else cli.out().print(report.table());
    }
}
