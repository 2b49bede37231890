package io.polyvisor.server;

import io.polyvisor.cli.Cli;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code polyvisor server}: runs the control plane in the foreground until interrupted (Ctrl-C / SIGTERM
 * shut it down gracefully). The database password is best given as {@code POLYVISOR_DB_PASSWORD}, which
 * other users cannot read from the process list.
 */
@Command(name = "server", description = "Run the control plane (REST API, controllers) in the foreground.")
public final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sim", paramLabel = "N", description = "On first start, register N simulated hosts sim://local/h1..hN.")
    int sim;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder: embedded database and admin.token (default: ./data).")
    Path data = Path.of("data");

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default: 8080; 0 = any free port).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: 127.0.0.1).")
    String bind = ServerConfig.DEFAULT_BIND;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "External database, e.g. jdbc:postgresql://db:5432/polyvisor (default: embedded H2 in the data folder).")
    String db;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user (or POLYVISOR_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password (prefer POLYVISOR_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--server-name", paramLabel = "NAME", description = "This server's name among those sharing a PostgreSQL database (default: this machine's host name).")
    String serverName;

    @Option(names = "--tls", description = "Serve HTTPS: with --tls-cert/--tls-key, else a self-signed certificate made in DATA/tls/ on first start.")
    boolean tls;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain for --tls.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (unencrypted) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--insecure-http", description = "Allow plain HTTP on a --bind address that is not loopback.")
    boolean insecureHttp;

    @Override
    public Integer call() throws InterruptedException {
        var cli = Cli.of(spec);
        var env = cli.env();
        var config = new ServerConfig(bind, port, data, db,
                dbUser != null ? dbUser : env.get("POLYVISOR_DB_USER"),
                dbPassword != null ? dbPassword : env.get("POLYVISOR_DB_PASSWORD"), sim, null,
                new ServerConfig.Tls(tls, tlsCert, tlsKey, insecureHttp), serverName);
        RunningServer server;
        try {
            server = PolyvisorServer.start(config);
        } catch (io.javalin.util.JavalinBindException e) {
            throw new InvalidInput("cannot listen on " + bind + ":" + port + ": the address is in use or not available here;"
                    + " pick another with --port or --bind");
        } catch (io.polyvisor.cluster.ServerNameTaken e) {
            throw new InvalidInput(e.getMessage());
        } catch (io.polyvisor.store.Stores.StoreUnavailable e) {
            throw new InvalidInput(e.getMessage()); // says which database and why, without credentials
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "polyvisor-shutdown"));
        cli.out().println("Polyvisor listening on " + server.url());
        cli.out().println("admin token: " + display(data.resolve(AdminToken.FILE)));
        if (server.certificate() != null) cli.out().println("TLS certificate: " + display(server.certificate()) + " (clients: --ca FILE)");
        cli.out().flush();
        stopped.await();
        return 0;
    }

    /** {@code ./data/admin.token} for relative paths, as users typed them. */
    static String display(Path p) {
        return p.isAbsolute() || p.toString().startsWith(".") ? p.toString() : "./" + p;
    }
}
