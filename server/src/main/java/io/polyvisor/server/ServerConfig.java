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
 * @param tls       HTTPS, and whether plain HTTP may listen beyond loopback; {@link Tls#OFF} when null
 */
public record ServerConfig(String bind, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword,
                           int simHosts, Timing timing, Tls tls, String serverName) {
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
        tls = tls == null ? Tls.OFF : tls;
        InvalidInput.require(serverName == null || serverName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}"),
                "server name must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '" + serverName + "'");
        InvalidInput.require(tls.on() || tls.insecureHttp() || loopback(bind), "refusing to serve plain HTTP on " + bind
                + ", which is not a loopback address: tokens would cross the network in clear. Give --tls (or --tls-cert"
                + " and --tls-key), or --insecure-http if something else encrypts the traffic");
    }

    /** A config with these settings and the default server name (this machine's host name). */
    public ServerConfig(String bind, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, int simHosts,
                        Timing timing, Tls tls) {
        this(bind, port, dataDir, dbUrl, dbUser, dbPassword, simHosts, timing, tls, null);
    }

    /** A config with these settings and no TLS (the others' defaults as in {@link #of}). */
    public ServerConfig(String bind, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, int simHosts,
                        Timing timing) {
        this(bind, port, dataDir, dbUrl, dbUser, dbPassword, simHosts, timing, null, null);
    }

    /** The same config under another server name (several servers on one PostgreSQL: docs/CLUSTER.md). */
    public ServerConfig withServerName(String name) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, simHosts, timing, tls, name);
    }

    /**
     * TLS for the API.
     *
     * @param on           serve HTTPS only, with {@code cert}/{@code key}, or the self-signed certificate of {@code DATA/tls/}
     * @param cert         PEM certificate chain, or null
     * @param key          PEM private key, given with {@code cert}
     * @param insecureHttp allow plain HTTP on an address that is not loopback (without {@code on})
     */
    public record Tls(boolean on, Path cert, Path key, boolean insecureHttp) {
        public static final Tls OFF = new Tls(false, null, null, false);

        public Tls {
            InvalidInput.require((cert == null) == (key == null), "give --tls-cert and --tls-key together");
            on = on || cert != null;
            InvalidInput.require(!(on && insecureHttp), "--insecure-http is for plain HTTP; it cannot go with --tls");
        }
    }

    /** Whether {@code bind} is a loopback address (a name is resolved). */
    static boolean loopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Defaults: 127.0.0.1:8080, embedded H2 in {@code dataDir}, no simulated hosts. */
    public static ServerConfig of(Path dataDir) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, dataDir, null, null, null, 0, null, null, null);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bind, p, dataDir, dbUrl, dbUser, dbPassword, simHosts, timing, tls, serverName);
    }

    public ServerConfig withSimHosts(int n) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, n, timing, tls, serverName);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(bind, port, dataDir, url, user, password, simHosts, timing, tls, serverName);
    }

    public ServerConfig withTiming(Timing t) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, simHosts, t, tls, serverName);
    }

    public ServerConfig withBind(String b) {
        return new ServerConfig(b, port, dataDir, dbUrl, dbUser, dbPassword, simHosts, timing, tls, serverName);
    }

    public ServerConfig withTls(Tls t) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, simHosts, timing, t, serverName);
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", port=" + port + ", dataDir=" + dataDir + ", dbUrl=" + dbUrl
                + ", dbUser=" + dbUser + ", simHosts=" + simHosts + ", timing=" + timing + ", tls=" + tls + "]";
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
