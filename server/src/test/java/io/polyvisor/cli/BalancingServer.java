package io.polyvisor.cli;

import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server on simulated hosts whose balancer controller runs every half second, and a CLI runner
 * against it, for the balancing end-to-end tests.
 */
final class BalancingServer implements AutoCloseable {
    final RunningServer server;

    private BalancingServer(RunningServer server) {
        this.server = server;
    }

    static BalancingServer start(Path data, int simHosts) {
        System.setProperty("polyvisor.balance.interval-seconds", "0.5");
        try {
            return new BalancingServer(PolyvisorServer.start(ServerConfig.of(data).withPort(0).withSimHosts(simHosts)));
        } finally {
            System.clearProperty("polyvisor.balance.interval-seconds");
        }
    }

    /** Runs {@code polyvisor ARGS} against this server and asserts it exits 0. */
    CliRun ok(String... args) {
        var r = ServerCli.run(server, args);
        assertThat(r.exit()).as("polyvisor %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    @Override
    public void close() {
        server.close();
    }
}
