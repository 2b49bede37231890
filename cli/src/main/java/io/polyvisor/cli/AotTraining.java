package io.polyvisor.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The training run the launcher records its JVM start-up cache from ({@code -XX:AOTCacheOutput}, or AppCDS on JDK
 * 21-23): typical client calls, so the classes they load (picocli, Jackson, java.net.http) are in the cache. The
 * calls go to a scripted server on a loopback port, answering with the API's shapes, so no real server is needed.
 * Prints nothing; exits 0 whatever the calls returned.
 */
public final class AotTraining {
    private static final String HOSTS = """
            [{"name":"h1","uri":"sim://local/h1","driver":"sim","state":"connected","cpus":32,"memory_bytes":137438953472,\
            "labels":{"rack":"a"},"vm_count":1,"capabilities":["compute","stats"],"usage":{"cpu_cores":0.5,"memory_bytes":268435456}}]""";
    private static final String VMS = """
            [{"id":"39d46e4e-6e8b-4934-916c-d3ebaeb142b1","name":"web1","state":"running","state_detail":null,\
            "intent":"running","host":"h1","vcpus":1,"memory_bytes":268435456,"boot":{"type":"none"},"protection":"none",\
            "priority":3,"labels":{},"endpoints":[],"usage":null,"ha":null}]""";
    private static final String NOT_FOUND = """
            {"type":"/problems/not-found","title":"Not Found","status":404,"detail":"vm nope not found"}""";

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/hosts", ex -> reply(ex, 200, HOSTS));
        server.createContext("/api/v1/vms", ex -> reply(ex, ex.getRequestURI().getPath().equals("/api/v1/vms") ? 200 : 404,
                ex.getRequestURI().getPath().equals("/api/v1/vms") ? VMS : NOT_FOUND));
        server.start();
        try {
            var env = Map.of("POLYVISOR_URL", "http://127.0.0.1:" + server.getAddress().getPort(), "POLYVISOR_TOKEN", "training");
            for (var line : List.of(
                    List.of("host", "list"), List.of("-o", "json", "host", "list"), List.of("vm", "list"),
                    List.of("vm", "list", "-o", "json"), List.of("vm", "show", "nope"), List.of("--help"),
                    List.of("host", "--help"), List.of("vm", "strat"), List.of("--url", "http://127.0.0.1:1", "host", "list"))) {
                Main.run(line.toArray(String[]::new), sink(), sink(), env);
            }
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
