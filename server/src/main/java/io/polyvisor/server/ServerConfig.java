package io.polyvisor.server;

import io.polyvisor.lifecycle.LifecycleSettings;
import io.polyvisor.model.InvalidInput;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run one control-plane process. Validated here, so a running server never sees a bad value.
 *
 * @param bind      address to listen on; 127.0.0.1 unless the operator opens it up on purpose
 * @param port      TCP port, 0 = any free port (tests)
 * @param dataDir   folder for the embedded database and {@code admin.token}; created if absent
 * @param dbUrl     JDBC URL of an external database (PostgreSQL), or null for embedded H2 in {@code dataDir}
 * @param simHosts  on first start only, register {@code sim://local/h1..hN}
 * @param timing    controller intervals; {@link Timing#DEFAULT} outside tests
 */
public record ServerConfig(String bind, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword,
                           int simHosts, Timing timing) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public ServerConfig {
        bind = bind == null || bind.isBlank() ? DEFAULT_BIND : bind;
        InvalidInput.require(port >= 0 && port <= 65535, "port must be between 0 and 65535, got " + port);
        InvalidInput.require(dataDir != null, "data folder is required");
        InvalidInput.require(dbUrl == null || dbUrl.startsWith("jdbc:"),
                "database URL must start with jdbc:, such as jdbc:postgresql://db:5432/polyvisor");
        InvalidInput.require(simHosts >= 0 && simHosts <= 1000, "sim hosts must be between 0 and 1000, got " + simHosts);
        timing = timing == null ? Timing.DEFAULT : timing;
    }

    /** Defaults: 127.0.0.1:8080, embedded H2 in {@code dataDir}, no simulated hosts. */
    public static ServerConfig of(Path dataDir) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, dataDir, null, null, null, 0, null);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bind, p, dataDir, dbUrl, dbUser, dbPassword, simHosts, timing);
    }

    public ServerConfig withSimHosts(int n) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, n, timing);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(bind, port, dataDir, url, user, password, simHosts, timing);
    }

    public ServerConfig withTiming(Timing t) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, simHosts, t);
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", port=" + port + ", dataDir=" + dataDir + ", dbUrl=" + dbUrl
                + ", dbUser=" + dbUser + ", simHosts=" + simHosts + ", timing=" + timing + "]";
    }

    /**
     * Controller timing.
     *
     * @param probeInterval how often each host's liveness is probed and its VMs listed
     */
    public record Timing(Duration probeInterval, LifecycleSettings lifecycle) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(2), LifecycleSettings.DEFAULT);

        public Timing {
            InvalidInput.require(probeInterval != null && !probeInterval.isNegative() && !probeInterval.isZero(),
                    "probe interval must be positive");
            lifecycle = lifecycle == null ? LifecycleSettings.DEFAULT : lifecycle;
        }
    }
}
