package io.polyvisor.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.api.Credentials;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users, roles and projects through the REST API, on embedded H2 and on a real PostgreSQL: what each role may do, what
 * another project's VM looks like, revoked, expired and rotated tokens, and that no token is ever stored.
 */
class RolesApiTest {
    @TempDir
    Path data;

    record Api(TestServer s, String token) {
        TestServer.Response get(String path) {
            return s.send(req(path).GET().build());
        }

        TestServer.Response post(String path, String body) {
            return s.send(req(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        TestServer.Response put(String path, String body) {
            return s.send(req(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        TestServer.Response delete(String path) {
            return s.send(req(path).DELETE().build());
        }

        private HttpRequest.Builder req(String path) {
            return HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token);
        }
    }

    static String user(TestServer s, String name, String role, String projects, String extra) {
        var r = s.post("/api/v1/users", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\""
                + (projects == null ? "" : ",\"projects\":[" + projects + "]") + extra + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().path("user").path("name").asText()).isEqualTo(name);
        return r.json().path("token").asText();
    }

    static void problem(TestServer.Response r, int status, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        if (detail != null) assertThat(r.detail()).isEqualTo(detail);
    }

    static List<String> names(TestServer.Response list) {
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode v : list.json()) out.add(v.path("name").asText());
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void eachRoleDoesWhatItMayInItsProjectsOnly(String db) throws Exception {
        List<String> tokens = new ArrayList<>();
        try (var dbs = new Databases(db, data)) {
            try (var s = TestServer.start(dbs.config(0))) {
                assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}").status()).isEqualTo(201);
                assertThat(s.post("/api/v1/projects", "{\"name\":\"red\"}").status()).isEqualTo(201);
                assertThat(s.post("/api/v1/projects", "{\"name\":\"blue\"}").status()).isEqualTo(201);
                var viewer = new Api(s, user(s, "vera", "viewer", "\"red\"", ""));
                var operator = new Api(s, user(s, "otto", "operator", "\"red\"", ""));
                var other = new Api(s, user(s, "bob", "operator", "\"blue\"", ""));
                tokens.addAll(List.of(viewer.token(), operator.token(), other.token()));
                assertThat(viewer.token()).startsWith("pv_").hasSizeGreaterThanOrEqualTo(46);

                // an operator creates and acts in its project
                var created = operator.post("/api/v1/vms", "{\"name\":\"r1\",\"memory\":\"64M\",\"project\":\"red\"}");
                assertThat(created.status()).as(created.text()).isEqualTo(202);
                assertThat(created.json().path("vm").path("project").asText()).isEqualTo("red");
                s.awaitTask(created.json().path("task").path("id").asText());
                assertThat(operator.get("/api/v1/tasks/" + created.json().path("task").path("id").asText()).status()).isEqualTo(200);
                var b1 = other.post("/api/v1/vms", "{\"name\":\"b1\",\"memory\":\"64M\",\"project\":\"blue\"}");
                assertThat(b1.status()).as(b1.text()).isEqualTo(202);
                s.awaitTask(b1.json().path("task").path("id").asText());
                // the admin sees both, in the default project nothing, and each VM says its project
                assertThat(names(s.get("/api/v1/vms"))).containsExactly("b1", "r1");
                assertThat(s.get("/api/v1/vms/b1").json().path("project").asText()).isEqualTo("blue");

                // another project's VM does not exist for them: 404, absent from lists, no tasks
                assertThat(names(operator.get("/api/v1/vms"))).containsExactly("r1");
                assertThat(names(viewer.get("/api/v1/vms"))).containsExactly("r1");
                assertThat(names(other.get("/api/v1/vms"))).containsExactly("b1");
                problem(operator.get("/api/v1/vms/b1"), 404, "vm b1 not found");
                problem(viewer.get("/api/v1/vms/b1"), 404, "vm b1 not found");
                problem(operator.post("/api/v1/vms/b1/stop", "{}"), 404, "vm b1 not found");
                problem(operator.delete("/api/v1/vms/b1"), 404, "vm b1 not found");
                problem(operator.get("/api/v1/tasks/" + b1.json().path("task").path("id").asText()), 404, null);
                problem(operator.get("/api/v1/tasks?vm=b1"), 404, "vm b1 not found");
                assertThat(operator.get("/api/v1/tasks?limit=1000").json()).extracting(t -> t.path("vm_name").asText()).containsOnly("r1");
                problem(operator.post("/api/v1/vms", "{\"name\":\"x1\",\"memory\":\"64M\",\"project\":\"blue\"}"), 404, "project blue not found");
                problem(operator.post("/api/v1/vms", "{\"name\":\"x1\",\"memory\":\"64M\"}"), 404, "project default not found");
                assertThat(s.get("/api/v1/vms/b1").json().path("state").asText()).isEqualTo("running");

                // a viewer reads and never writes: 403 before the body is even read
                problem(viewer.post("/api/v1/vms", "{\"name\":\"v1\",\"memory\":\"64M\",\"project\":\"red\"}"), 403,
                        "viewer vera may not call POST /api/v1/vms: it needs the operator or admin role");
                problem(viewer.post("/api/v1/vms/r1/stop", "not json"), 403, null);
                problem(viewer.delete("/api/v1/vms/r1"), 403, null);
                assertThat(viewer.get("/api/v1/vms/r1").status()).isEqualTo(200);
                assertThat(viewer.get("/api/v1/whoami").json().path("role").asText()).isEqualTo("viewer");
                // admin routes are the admin's: users, projects, hosts, events, audit
                for (String path : List.of("/api/v1/users", "/api/v1/projects", "/api/v1/hosts", "/api/v1/events", "/api/v1/audit")) {
                    problem(operator.get(path), 403, null);
                }
                problem(operator.post("/api/v1/users", "{\"name\":\"evil\",\"role\":\"admin\"}"), 403,
                        "operator otto may not call POST /api/v1/users: it needs the admin role");
                problem(operator.post("/api/v1/projects", "{\"name\":\"mine\"}"), 403, null);

                // the operator acts on its own VM
                var stop = operator.post("/api/v1/vms/r1/stop", "{}");
                assertThat(stop.status()).as(stop.text()).isEqualTo(202);
                s.awaitTask(stop.json().path("id").asText());
                var del = operator.delete("/api/v1/vms/r1");
                assertThat(del.status()).as(del.text()).isEqualTo(202);
                s.awaitTask(del.json().path("id").asText());
                assertThat(names(operator.get("/api/v1/vms"))).isEmpty();
                // the VM's row is gone: its tasks stay the operator's, and only theirs
                assertThat(operator.get("/api/v1/tasks/" + del.json().path("id").asText()).json().path("status").asText()).isEqualTo("succeeded");
                problem(other.get("/api/v1/tasks/" + del.json().path("id").asText()), 404, null);

                // revoked: 401 at once; rotated: the old token 401, the new one works; expired: 401
                assertThat(s.post("/api/v1/users/bob/revoke", "{}").json().path("state").asText()).isEqualTo("revoked");
                problem(other.get("/api/v1/vms"), 401, "missing or wrong bearer token");
                problem(s.post("/api/v1/users/bob/rotate", "{}"), 409, "user bob is revoked; create a new user instead");
                var rotated = s.post("/api/v1/users/otto/rotate", "{}");
                assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
                var renewed = new Api(s, rotated.json().path("token").asText());
                tokens.add(renewed.token());
                problem(operator.get("/api/v1/vms"), 401, null);
                assertThat(renewed.get("/api/v1/whoami").json().path("name").asText()).isEqualTo("otto");
                var brief = new Api(s, user(s, "brief", "viewer", "\"red\"", ",\"expires\":\"1s\""));
                tokens.add(brief.token());
                assertThat(brief.get("/api/v1/vms").status()).isEqualTo(200);
                Thread.sleep(1100);
                problem(brief.get("/api/v1/vms"), 401, null);
                assertThat(s.get("/api/v1/users/brief").json().path("state").asText()).isEqualTo("expired");

                problem(new Api(s, "pv_wrong").post("/api/v1/vms", "{}"), 401, null);

                // the audit journal names each actor of a write, refused ones included
                JsonNode audit = s.get("/api/v1/audit?limit=1000").json();
                assertThat(audit).anySatisfy(e -> {
                    assertThat(e.path("actor").asText()).isEqualTo("vera");
                    assertThat(e.path("method").asText()).isEqualTo("POST");
                    assertThat(e.path("path").asText()).isEqualTo("/api/v1/vms");
                    assertThat(e.path("status").asInt()).isEqualTo(403);
                });
                assertThat(audit).anySatisfy(e -> {
                    assertThat(e.path("actor").asText()).isEqualTo("otto");
                    assertThat(e.path("path").asText()).isEqualTo("/api/v1/vms/r1");
                    assertThat(e.path("status").asInt()).isEqualTo(202);
                });
                assertThat(audit).anySatisfy(e -> assertThat(e.path("actor").asText()).isEqualTo("-"));
                assertThat(s.get("/api/v1/audit?actor=otto&limit=1000").json()).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.path("actor").asText()).isEqualTo("otto"));
            }
            // no token is stored anywhere, only its SHA-256 (which proves the dump holds the users)
            String stored = dbs.everything();
            for (String t : tokens) assertThat(stored).doesNotContain(t);
            for (int i : new int[] {0, 2, 3, 4}) assertThat(stored).contains(Credentials.hash(tokens.get(i))); // not otto's old one
        }
    }
}
