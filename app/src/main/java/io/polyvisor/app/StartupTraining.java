package io.polyvisor.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.polyvisor.cli.Main;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run the launcher ({@code ./polyvisor}) records its JVM start-up cache from ({@code -XX:AOTCacheOutput}
 * on JDK 25+, an AppCDS class list on 21-24): typical client calls, so the classes they load (picocli, Jackson,
 * java.net.http) come from the cache. The calls go to a scripted server on a loopback port that answers with the
 * API's shapes, so no real server is needed. Prints nothing; exits 0 whatever the calls returned. Part of the
 * distribution, not of the client: the CLI module does not carry it.
 */
public final class StartupTraining {
    private static final String HOSTS = """
            [{"name":"h1","uri":"sim://local/h1","driver":"sim","state":"connected","cpus":32,"memory_bytes":137438953472,\
            "labels":{"rack":"a"},"vm_count":1,"capabilities":["compute","stats"],"usage":{"cpu_cores":0.5,"memory_bytes":268435456}}]""";
    private static final String VMS = """
            [{"id":"39d46e4e-6e8b-4934-916c-d3ebaeb142b1","name":"web1","state":"running","state_detail":null,\
            "intent":"running","host":"h1","vcpus":1,"memory_bytes":268435456,"boot":{"type":"none"},"protection":"none",\
            "priority":3,"labels":{},"endpoints":[],"usage":null,"ha":null}]""";
    private static final String NOT_FOUND = """
            {"type":"/problems/not-found","title":"Not Found","status":404,"detail":"vm nope not found"}""";

    private StartupTraining() {}

    /** One training call and the exit code it should have (a call that fails early would train little). */
    record Call(int exit, List<String> args) {
        static Call of(int exit, String... args) {
            return new Call(exit, List.of(args));
        }
    }

    static final List<Call> CALLS = List.of(
            Call.of(Main.OK, "host", "list"), Call.of(Main.OK, "-o", "json", "host", "list"),
            Call.of(Main.OK, "vm", "list"), Call.of(Main.OK, "vm", "list", "-o", "json"),
            Call.of(Main.FAILED, "vm", "show", "nope"), Call.of(Main.OK, "--help"), Call.of(Main.OK, "host", "--help"),
            Call.of(Main.USAGE, "vm", "strat"), Call.of(Main.UNREACHABLE, "--url", "http://127.0.0.1:1", "host", "list"));

    public static void main(String[] args) throws IOException {
        run();
    }

    /** Makes the training calls; returns those that did not exit as expected. */
    static List<Call> run() throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/hosts", ex -> reply(ex, 200, HOSTS));
        server.createContext("/api/v1/vms", ex -> {
            boolean list = ex.getRequestURI().getPath().equals("/api/v1/vms");
            reply(ex, list ? 200 : 404, list ? VMS : NOT_FOUND);
        });
        server.start();
        try {
            var env = Map.of("POLYVISOR_URL", "http://127.0.0.1:" + server.getAddress().getPort(), "POLYVISOR_TOKEN", "training");
            var unexpected = new ArrayList<Call>();
            for (var c : CALLS) {
                if (Main.run(c.args().toArray(String[]::new), sink(), sink(), env) != c.exit()) unexpected.add(c);
            }
            return unexpected;
        } finally {
            server.stop(0);
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        try (ex) {
            var body = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private static PrintStream sink() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
}
