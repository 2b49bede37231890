package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AuthTest {
    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private TestServer.Response raw(String path, String authorization) {
        var b = HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        return s.send(b.build());
    }

    /** The status without reading the body (the event stream's body never ends). */
    private int statusOnly(String path, String authorization) {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var res = client.send(HttpRequest.newBuilder(URI.create(s.server.url() + path)).header("Authorization", authorization)
                    .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            res.body().close();
            return res.statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/vms", "/api/v1/hosts", "/api/v1/tasks", "/api/v1/events", "/metrics",
            "/api/v1/openapi.json", "/api/v1/events/stream", "/api/v1/no-such-route", "/api/v1/session", "/console",
            "/console/", "/console.css/x", "/index.html"})
    void everyRouteButHealthzNeedsTheToken(String path) {
        for (String auth : new String[] {null, "Bearer wrong", "Bearer " + s.server.token() + "x", s.server.token(), "Basic abc"}) {
            var r = raw(path, auth);
            assertThat(r.status()).as(path + " with " + auth).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("detail").asText()).isEqualTo("missing or wrong bearer token");
            assertThat(r.json().path("title").asText()).isEqualTo("Unauthorized");
        }
        assertThat(statusOnly(path, "Bearer " + s.server.token())).isNotEqualTo(401);
    }

    /** RFC 9110 section 11.1: the scheme is case-insensitive, and one or more spaces separate it from the token. */
    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "Bearer ", "bEaReR ", "Bearer   "})
    void theSchemeIsCaseInsensitive(String scheme) {
        var r = raw("/api/v1/hosts", scheme + s.server.token());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearerx", "Beare ", "Basic ", "Token ", "x Bearer "})
    void anotherSchemeOrNoSpaceIsRefused(String prefix) {
        var r = raw("/api/v1/hosts", prefix.equals("Bearer") ? prefix : prefix + s.server.token());
        assertThat(r.status()).as(prefix).isEqualTo(401);
        assertThat(r.contentType()).isEqualTo("application/problem+json;charset=utf-8");
    }

    /**
     * The token is compared as sent. Jetty caches header fields per connection and by default matches the cache
     * ignoring case, so on a kept-alive connection a token differing only in letter case read as the valid one.
     */
    @Test
    void aTokenInTheWrongCaseIsRefusedEvenOnAConnectionThatSentTheRightOne() {
        String token = s.server.token();
        String swapped = token.chars().mapToObj(c -> String.valueOf((char) (Character.isUpperCase(c)
                ? Character.toLowerCase(c) : Character.toUpperCase(c)))).collect(java.util.stream.Collectors.joining());
        assertThat(swapped).isNotEqualTo(token);
        try (var c = RawHttp.connect(s.server.url().getPort(), 20_000)) {
            for (String sent : new String[] {token, swapped, token, swapped}) {
                c.send(("GET /api/v1/hosts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + sent + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                var r = c.read();
                assertThat(r.status()).as("token sent %s", sent.equals(token) ? "as issued" : "in swapped case").isEqualTo(sent.equals(token) ? 200 : 401);
            }
        }
    }

    @Test
    void onlyHealthTheConsoleFilesSigningInAndTheGuestApiAreOpen() {
        // the guest coordination API (/v1/...) is open to the admin check: each of its handlers authenticates the calling
        // VM by its own coordination token first (coord.VmTokens; CoordApiTest covers 401 and 403 there)
        assertThat(s.server.api().routes().stream().filter(Route::open).map(Route::key))
                .containsExactlyInAnyOrder("GET /healthz", "GET /", "GET /console.css", "GET /console/{module}", "GET /console/vendor/{file}", "POST /api/v1/session",
                        "GET /v1/self", "GET /v1/self/user-data", "GET /v1/kv", "GET /v1/kv/<key>", "PUT /v1/kv/<key>", "DELETE /v1/kv/<key>", "GET /v1/leases",
                        "POST /v1/leases/{name}", "DELETE /v1/leases/{name}", "GET /v1/peers", "POST /v1/metrics",
                        "POST /v1/messages/{topic}", "GET /v1/messages/{topic}");
        for (String path : new String[] {"/", "/console.css", "/console/app.js"}) {
            assertThat(raw(path, null).status()).as(path).isEqualTo(200);
        }
        var signOut = s.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/api/v1/session")).DELETE().build());
        assertThat(signOut.status()).isEqualTo(401);
        assertThat(signOut.detail()).isEqualTo("missing or wrong bearer token");
    }

    @Test
    void healthzIsOpen() {
        var r = raw("/healthz", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void unknownRouteAndWrongMethodAreProblems() {
        var r = s.get("/api/v1/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).isEqualTo("no route GET /api/v1/nope");
        var m = s.send(s.request("/api/v1/hosts").PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(m.status()).isEqualTo(405);
        assertThat(m.contentType()).startsWith("application/problem+json");
        assertThat(m.detail()).isEqualTo("method PUT is not allowed on /api/v1/hosts");
    }
}
