package io.polyvisor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A thin JSON client for the Polyvisor REST API (v1). Every non-2xx answer becomes an {@link ApiError} carrying the
 * server's problem detail; a connection failure becomes {@link ServerUnreachable}. No retries: the CLI reports.
 */
public final class ApiClient implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest long-poll a server holds (a watch's {@code wait}, at most 60 s), with room for its answer. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(75);
    static final Duration CLOSE_WAIT = Duration.ofMillis(200);
    private static final ObjectWriter COMPACT = Cli.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final URI base;
    private final String token;
    private final javax.net.ssl.SSLContext tls;
    private HttpClient http; // built on first request

    public ApiClient(URI base, String token) {
        this(base, token, null);
    }

    /** @param tls what an {@code https} server is trusted by ({@link CaTrust}); null: the JDK's trust store */
    public ApiClient(URI base, String token, javax.net.ssl.SSLContext tls) {
        this.base = base;
        this.token = token;
        this.tls = tls;
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    public JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** PUT with a JSON body (HA settings and fence agents; ha helper). */
    public JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /** PUT with a JSON body and extra request headers (a fenced key write's {@code If-Match-Token}). */
    public JsonNode put(String path, Object body, java.util.Map<String, String> headers) {
        var b = request(path).header("Content-Type", "application/json");
        headers.forEach(b::header);
        return send(b.PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** DELETE with extra request headers. */
    public JsonNode delete(String path, java.util.Map<String, String> headers) {
        var b = request(path);
        headers.forEach(b::header);
        return send(b.DELETE());
    }

    /** A request builder for {@code path} with auth set; used by the event stream, which reads the body itself. */
    HttpRequest.Builder request(String path) {
        var b = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /** A request for a long-lived response (the event stream): auth set, no timeout on the body. */
    HttpRequest.Builder streamRequest(String path) {
        var b = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    synchronized HttpClient http() {
        if (http == null) http = newHttpClient(base, tls);
        return http;
    }

    /**
     * A client for {@code base}. For an {@code http} server it speaks HTTP/1.1 without TLS: the JDK's default TLS
     * context would load and parse the trust store (a tenth of a second or more of a CLI call's start-up) although
     * the client never follows a redirect, so it never leaves plain HTTP; and HTTP/2 would only add an h2c upgrade
     * offer to every request.
     */
    static HttpClient newHttpClient(URI base, javax.net.ssl.SSLContext tls) {
        var b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if ("http".equals(base.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1).sslContext(NoTls.CONTEXT).sslParameters(new SSLParameters());
        } else if (tls != null) {
            b.version(HttpClient.Version.HTTP_1_1).sslContext(tls);
        }
        return b.build();
    }

    /**
     * Stops the HTTP client's threads, abandoning any request still running; waits at most {@link #CLOSE_WAIT}.
     * A CLI call must do this before the JVM exits: the client's selector thread waits in native code, and
     * {@code System.exit} gives such a thread 300 ms to come out before it gives up on it.
     */
    @Override
    public synchronized void close() {
        if (http == null) return;
        http.shutdownNow();
        try {
            http.awaitTermination(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Percent-encodes one path segment or query value (names are safe already, but labels may not be). */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpResponse<String> r;
        try {
            r = http().send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ServerUnreachable(base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachable(base, e);
        }
        var body = parse(r.body());
        if (r.statusCode() / 100 != 2) throw ApiError.from(r.statusCode(), body, r.body());
        return body == null ? MissingNode.getInstance() : body;
    }

    /** The body as JSON, or null when empty or not JSON (the caller decides whether that is an error). */
    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            return Cli.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String json(Object body) {
        try {
            return COMPACT.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable", e);
        }
    }
}
