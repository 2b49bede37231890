package io.polyvisor.coord;

import io.polyvisor.server.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the coordination tests against a real server share: members with tokens, project users, calls as either. */
final class CoordCalls {
    private final TestServer s;

    CoordCalls(TestServer s) {
        this.s = s;
    }

    /** A running VM of {@code project} labelled group=db ({@code nics}: a JSON array, or null), and its coordination token. */
    String member(String name, String project, String nics) {
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"project\":\"" + project + "\",\"labels\":{\"group\":\"db\"}"
                + (nics == null ? "" : ",\"nics\":" + nics) + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        var t = s.post("/api/v1/vms/" + name + "/coord-token", "");
        assertThat(t.status()).as(t.text()).isEqualTo(201);
        return t.json().path("token").asText();
    }

    /** A user of {@code project} with {@code role}; its token. */
    String user(String name, String role, String project) {
        var r = s.post("/api/v1/users", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"projects\":[\"" + project + "\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("token").asText();
    }

    /** A request with {@code token}: a guest's coordination token or a user's. */
    TestServer.Response call(String token, String method, String path, String body) {
        var b = HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return s.send(b.build());
    }

    /** A problem+json answer of {@code status}, with exactly {@code detail} unless it is null. */
    static void problem(TestServer.Response r, int status, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        if (detail != null) assertThat(r.detail()).isEqualTo(detail);
    }
}
