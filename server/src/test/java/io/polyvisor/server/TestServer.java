package io.polyvisor.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.lifecycle.LifecycleSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A real server on an ephemeral port for tests, with fast controller timing and a java.net.http client
 * that sends the admin token. Other packages' tests start servers through this too.
 */
public final class TestServer implements AutoCloseable {
    public static final ServerConfig.Timing FAST = new ServerConfig.Timing(Duration.ofMillis(200),
            new LifecycleSettings(Duration.ofMillis(100), Duration.ofMillis(50), 4, Duration.ofSeconds(2)));
    static final ObjectMapper JSON = new ObjectMapper();

    public final RunningServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestServer(RunningServer server) {
        this.server = server;
    }

    public static TestServer start(Path dataDir, int simHosts) {
        return start(dataDir, simHosts, Wiring.defaults());
    }

    public static TestServer start(Path dataDir, int simHosts, Wiring wiring) {
        var config = ServerConfig.of(dataDir).withPort(0).withSimHosts(simHosts).withTiming(FAST);
        return new TestServer(PolyvisorServer.start(config, wiring));
    }

    public static TestServer start(ServerConfig config) {
        return new TestServer(PolyvisorServer.start(config));
    }

    /** A data centre name no other test uses, for hosts added with {@code sim://NAME/h1}. */
    public static String uniqueDatacenter() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public record Response(int status, String contentType, String text) {
        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        public String detail() {
            return json().path("detail").asText();
        }
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response put(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + server.token());
    }

    public Response send(HttpRequest r) {
        try {
            HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls GET {@code path} until {@code done} holds for its JSON, or fails after {@code timeout}. */
    public JsonNode await(String path, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Response r = get(path);
            if (r.status() == 200) {
                last = r.json();
                if (done.test(last)) return last;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting on " + path + "; last: " + last);
    }

    /** Waits for the task to finish and returns it; fails if it did not succeed. */
    public JsonNode awaitTask(String taskId) {
        JsonNode t = await("/api/v1/tasks/" + taskId, j -> j.path("status").asText().matches("succeeded|failed|cancelled"),
                Duration.ofSeconds(20));
        if (!t.path("status").asText().equals("succeeded")) throw new AssertionError("task did not succeed: " + t);
        return t;
    }

    @Override
    public void close() {
        server.close();
    }
}
