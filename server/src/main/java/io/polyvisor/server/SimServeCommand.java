package io.polyvisor.server;

import io.polyvisor.cli.Cli;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.SimServe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code polyvisor sim-serve --hosts N}: a simulated data centre in its own process, on loopback, that several servers
 * share through {@code simremote://127.0.0.1:PORT/hI} (docs/CLUSTER.md). It counts VM starts ({@code GET /starts}) and
 * VMs seen live on two hosts ({@code GET /doubles}) for tests and benchmarks.
 */
@Command(name = "sim-serve", description = "Serve a simulated data centre to several servers on loopback (simremote://127.0.0.1:PORT/HOST).")
final class SimServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", paramLabel = "N", description = "Hosts h1..hN (default: 4).")
    int hosts = 4;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port on 127.0.0.1 (default: 0 = any free port).")
    int port;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs per host (default: 32).")
    int cpus = 32;

    @Option(names = "--memory-gib", paramLabel = "GIB", description = "Memory per host in GiB (default: 128).")
    int memoryGib = 128;

    @Override
    public Integer call() throws Exception {
        var cli = Cli.of(spec);
        InvalidInput.require(hosts >= 1 && hosts <= 100_000, "hosts must be between 1 and 100000, got " + hosts);
        InvalidInput.require(port >= 0 && port <= 65535, "port must be between 0 and 65535, got " + port);
        var dc = SimDatacenter.named("shared");
        for (int i = 1; i <= hosts; i++) dc.addHost("h" + i, cpus, memoryGib * 1024L * 1024 * 1024);
        var serve = SimServe.start(dc, port);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            serve.close();
            stopped.countDown();
        }, "sim-serve-shutdown"));
        cli.out().println("sim-serve listening on 127.0.0.1:" + serve.port() + " with " + hosts
                + " hosts: simremote://127.0.0.1:" + serve.port() + "/h1 .. /h" + hosts);
        cli.out().flush();
        stopped.await();
        return 0;
    }
}
