package io.polyvisor.coord;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.polyvisor.coord.CoordCalls.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VM's user data: set by an operator of its project, read by the guest in {@code /v1/self} and raw at
 * {@code /v1/self/user-data}, changed live, refused when too large or holding NUL, invisible to other projects, recorded
 * as an event without its text. Real server, simulated host.
 */
class UserDataTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void operatorsSetItGuestsReadItOthersDoNotSeeIt() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=16&memory=8G\",\"name\":\"h1\"}")
                .status()).isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"red\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"blue\"}").status()).isEqualTo(201);
        String redOperator = user("otto", "operator", "red"), redViewer = user("vera", "viewer", "red"), blueOperator = user("bob", "operator", "blue");
        String guest = member("w1", "red");

        var none = call(guest, "GET", "/v1/self", null);
        assertThat(none.json().path("user_data").isNull()).as(none.text()).isTrue();
        problem(call(guest, "GET", "/v1/self/user-data", null), 404, "vm w1 has no user data");

        String script = "#!/bin/sh\necho \"hello\" > /tmp/x\n# ünïcode, a tab\there\n";
        var set = call(redOperator, "PUT", "/api/v1/vms/w1/user-data", json(script));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().path("bytes").asInt()).isEqualTo(script.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(call(guest, "GET", "/v1/self", null).json().path("user_data").asText()).isEqualTo(script);
        var raw = call(guest, "GET", "/v1/self/user-data", null);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.contentType()).startsWith("text/plain");
        assertThat(raw.text()).isEqualTo(script);
        assertThat(call(redViewer, "GET", "/api/v1/vms/w1/user-data", null).json().path("user_data").asText()).isEqualTo(script);

        // refused: too large, NUL, a viewer's write, another project's operator; nothing changed by any of them
        problem(call(redOperator, "PUT", "/api/v1/vms/w1/user-data", json("x".repeat(16 * 1024 + 1))), 400,
                "user_data must be at most 16384 bytes of UTF-8, got 16385");
        problem(call(redOperator, "PUT", "/api/v1/vms/w1/user-data", "{\"user_data\":\"a\\u0000b\"}"), 400, "user_data must not contain NUL characters");
        problem(call(redOperator, "PUT", "/api/v1/vms/w1/user-data", "{}"), 400, null);
        problem(call(redViewer, "PUT", "/api/v1/vms/w1/user-data", json("viewer")), 403, null);
        problem(call(blueOperator, "PUT", "/api/v1/vms/w1/user-data", json("blue")), 404, "vm w1 not found");
        problem(call(blueOperator, "GET", "/api/v1/vms/w1/user-data", null), 404, "vm w1 not found");
        assertThat(call(guest, "GET", "/v1/self/user-data", null).text()).isEqualTo(script);
        problem(call("0".repeat(64), "GET", "/v1/self/user-data", null), 401, null);

        // the event gives the size, never the text
        JsonNode events = s.get("/api/v1/events?type=vm.user-data").json();
        assertThat(events.toString()).contains("user data of w1 set (").doesNotContain("hello");

        // cleared: gone for the guest at its next read
        assertThat(call(redOperator, "DELETE", "/api/v1/vms/w1/user-data", null).json().path("bytes").asInt()).isZero();
        assertThat(call(guest, "GET", "/v1/self", null).json().path("user_data").isNull()).isTrue();
        problem(call(guest, "GET", "/v1/self/user-data", null), 404, "vm w1 has no user data");
    }

    @Test
    void aVmCreatedWithUserDataHasItFromItsFirstReadAndAnOversizedOneCreatesNothing() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=16&memory=8G\",\"name\":\"h1\"}")
                .status()).isEqualTo(201);
        var big = s.post("/api/v1/vms", "{\"name\":\"big\",\"memory\":\"64M\",\"user_data\":\"" + "x".repeat(16 * 1024 + 1) + "\"}");
        problem(big, 400, "user_data must be at most 16384 bytes of UTF-8, got 16385");
        assertThat(s.get("/api/v1/vms/big").status()).as("nothing created").isEqualTo(404);

        var r = s.post("/api/v1/vms", "{\"name\":\"w2\",\"memory\":\"64M\",\"labels\":{\"group\":\"db\"},\"user_data\":\"role=replica\\n\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        String token = s.post("/api/v1/vms/w2/coord-token", "").json().path("token").asText();
        assertThat(call(token, "GET", "/v1/self/user-data", null).text()).isEqualTo("role=replica\n");
        assertThat(s.get("/api/v1/vms/w2/user-data").json().path("bytes").asInt()).isEqualTo(13);
        assertThat(s.get("/api/v1/events?type=vm.created").json().toString()).contains("user data 13 bytes").doesNotContain("replica");
    }

    private static String json(String text) {
        return "{\"user_data\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}";
    }

    private String member(String name, String project) {
        return new CoordCalls(s).member(name, project, null);
    }

    private String user(String name, String role, String project) {
        return new CoordCalls(s).user(name, role, project);
    }

    private TestServer.Response call(String token, String method, String path, String body) {
        return new CoordCalls(s).call(token, method, path, body);
    }
}
