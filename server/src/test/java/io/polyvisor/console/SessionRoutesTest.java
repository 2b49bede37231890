package io.polyvisor.console;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The session routes and cookie authentication over plain HTTP: what a browser sends, without the browser. */
class SessionRoutesTest {
    @TempDir
    static Path data;
    static TestServer s;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    record Answer(int status, String setCookie, TestServer.Response response) {}

    private static Answer send(String method, String path, String body, String... headers) {
        var b = HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (headers.length > 0) b.headers(headers);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Set-Cookie").orElse(null),
                    new TestServer.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String signIn() {
        var a = send("POST", "/api/v1/session", "{\"token\":\"" + s.server.token() + "\"}", "X-Polyvisor-Console", "1");
        assertThat(a.status()).as(a.response().text()).isEqualTo(201);
        return a.setCookie().substring("polyvisor_session=".length(), a.setCookie().indexOf(';'));
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieAndNeverEchoesTheToken() {
        var a = send("POST", "/api/v1/session", "{\"token\":\"" + s.server.token() + "\"}", "X-Polyvisor-Console", "1");
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.setCookie()).matches("polyvisor_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
        assertThat(a.response().text()).doesNotContain(s.server.token());
        assertThat(a.response().json().path("identity").asText()).isEqualTo("admin");
        assertThat(a.response().json().path("expires").asText()).isNotBlank();
    }

    @Test
    void aUsersTokenOpensASessionThatActsAsThatUserUntilItIsRevoked() {
        assertThat(s.post("/api/v1/projects", "{\"name\":\"web\"}").status()).isEqualTo(201);
        var user = s.post("/api/v1/users", "{\"name\":\"sue\",\"role\":\"viewer\",\"projects\":[\"web\"]}");
        String token = user.json().path("token").asText();
        var a = send("POST", "/api/v1/session", "{\"token\":\"" + token + "\"}", "X-Polyvisor-Console", "1");
        assertThat(a.status()).as(a.response().text()).isEqualTo(201);
        assertThat(a.response().json().path("identity").asText()).isEqualTo("sue");
        assertThat(a.response().json().path("role").asText()).isEqualTo("viewer");
        String cookie = "polyvisor_session=" + a.setCookie().substring("polyvisor_session=".length(), a.setCookie().indexOf(';'));
        assertThat(send("GET", "/api/v1/whoami", null, "Cookie", cookie).response().json().path("name").asText()).isEqualTo("sue");
        assertThat(send("GET", "/api/v1/vms", null, "Cookie", cookie).status()).isEqualTo(200);
        var write = send("POST", "/api/v1/vms", "{\"name\":\"w\",\"memory\":\"64M\",\"project\":\"web\"}", "Cookie", cookie,
                "X-Polyvisor-Console", "1");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.response().detail()).isEqualTo("viewer sue may not call POST /api/v1/vms: it needs the operator or admin role");
        assertThat(send("GET", "/api/v1/hosts", null, "Cookie", cookie).status()).isEqualTo(403);
        // revoked: the open session stops at its next request
        assertThat(s.post("/api/v1/users/sue/revoke", "{}").status()).isEqualTo(200);
        var after = send("GET", "/api/v1/vms", null, "Cookie", cookie);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.response().detail()).isEqualTo("session expired or signed out; sign in again");
        assertThat(send("POST", "/api/v1/session", "{\"token\":\"" + token + "\"}", "X-Polyvisor-Console", "1").status()).isEqualTo(401);
    }

    @Test
    void aWrongTokenOrBadBodyOrMissingHeaderOpensNoSession() {
        var wrong = send("POST", "/api/v1/session", "{\"token\":\"nope\"}", "X-Polyvisor-Console", "1");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.response().contentType()).startsWith("application/problem+json");
        assertThat(wrong.response().detail()).isEqualTo("wrong token");
        assertThat(wrong.setCookie()).isNull();
        var missing = send("POST", "/api/v1/session", "{}", "X-Polyvisor-Console", "1");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.response().detail()).isEqualTo("token is required");
        var extra = send("POST", "/api/v1/session", "{\"token\":\"x\",\"user\":\"y\"}", "X-Polyvisor-Console", "1");
        assertThat(extra.response().detail()).isEqualTo("unknown field 'user'; allowed: token");
        var noHeader = send("POST", "/api/v1/session", "{\"token\":\"" + s.server.token() + "\"}");
        assertThat(noHeader.status()).isEqualTo(403);
        assertThat(noHeader.response().detail()).isEqualTo("cross-site request refused: a state-changing request without a bearer "
                + "token (a session cookie, or signing in) must send the X-Polyvisor-Console header");
        assertThat(noHeader.setCookie()).isNull();
    }

    @Test
    void theCookieAuthenticatesReadsAndGuardedWrites() {
        String cookie = "polyvisor_session=" + signIn();
        assertThat(send("GET", "/api/v1/hosts", null, "Cookie", cookie).status()).isEqualTo(200);
        var unguarded = send("POST", "/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}",
                "Cookie", cookie, "Content-Type", "application/json");
        assertThat(unguarded.status()).isEqualTo(403);
        assertThat(unguarded.response().contentType()).startsWith("application/problem+json");
        var otherOrigin = send("POST", "/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}",
                "Cookie", cookie, "Content-Type", "application/json", "X-Polyvisor-Console", "1", "Origin", "http://evil.example");
        assertThat(otherOrigin.status()).isEqualTo(403);
        assertThat(otherOrigin.response().detail()).isEqualTo("cross-site request refused: Origin 'http://evil.example' is not this server's");
        var guarded = send("POST", "/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}",
                "Cookie", cookie, "Content-Type", "application/json", "X-Polyvisor-Console", "1", "Origin", s.server.url().toString());
        assertThat(guarded.status()).as(guarded.response().text()).isEqualTo(201);
        assertThat(s.get("/api/v1/hosts").json().findValuesAsText("name")).contains("h1");
    }

    @Test
    void signingOutEndsTheSessionAndExpiresTheCookie() {
        String id = signIn();
        var out = send("DELETE", "/api/v1/session", null, "Cookie", "polyvisor_session=" + id, "X-Polyvisor-Console", "1");
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.setCookie()).isEqualTo("polyvisor_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        var after = send("GET", "/api/v1/hosts", null, "Cookie", "polyvisor_session=" + id);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.response().detail()).isEqualTo("session expired or signed out; sign in again");
        assertThat(send("DELETE", "/api/v1/session", null).status()).as("signing out needs a session or the token").isEqualTo(401);
    }

    @Test
    void aBearerTokenIsJudgedAloneAndAForgedCookieIsRefused() {
        String cookie = "polyvisor_session=" + signIn();
        assertThat(send("GET", "/api/v1/hosts", null, "Cookie", cookie, "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/hosts", null, "Cookie", "polyvisor_session=" + "A".repeat(43)).status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/hosts", null, "Cookie", "polyvisor_session=" + s.server.token()).status()).isEqualTo(401);
    }

    @Test
    void theConsoleIsServedOpenWithAStrictPolicyAndOnlyItsOwnFiles() {
        var page = send("GET", "/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.response().contentType()).startsWith("text/html");
        assertThat(page.response().text()).contains("id=\"sign-in-form\"");
        for (String m : ConsoleFiles.MODULES) {
            var r = send("GET", "/console/" + m, null);
            assertThat(r.status()).as(m).isEqualTo(200);
            assertThat(r.response().contentType()).startsWith("text/javascript");
        }
        var unknown = send("GET", "/console/..%2Fdb%2Fmigration%2FV1__init.sql", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(send("GET", "/console/index.html", null).status()).isEqualTo(404);
        try {
            var raw = http.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/")).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(raw.headers().firstValue("Content-Security-Policy")).contains(ConsoleFiles.CSP);
            assertThat(raw.headers().firstValue("X-Frame-Options")).contains("DENY");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
