package io.polyvisor.bench;

import io.polyvisor.cli.*;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code polyvisor bench ...}: benchmarks that print figures against a baseline measured in the same run.
 * Add a benchmark by listing its command class in {@code subcommands}.
 */
@Command(name = "bench", description = "Run a benchmark and print its figures (-o json for snake_case fields with units).",
        subcommands = {io.polyvisor.bench.SimBenchCommand.class, StoreBenchCommand.class,
                io.polyvisor.bench.LifecycleBenchCommand.class, io.polyvisor.bench.ApiBenchCommand.class,
                BenchConsolidation.class, BenchPlacement.class, io.polyvisor.bench.FailoverBenchCommand.class,
                CliBenchCommand.class, SuspicionsBenchCommand.class, BenchAutoscale.class,
                ClusterBenchCommand.class, io.polyvisor.bench.network.NetworkBenchCommand.class,
                CoordinationBenchCommand.class, StorageBenchCommand.class, ConsoleBenchCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }
}
