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
 * A coordination group is the VMs of one project that carry the label: a guest of another project that takes the same
 * label reaches none of the group's members, keys, leases or messages, and the people of a project see and act on its
 * groups only. Members see each other's addresses on the networks they share. Real server, simulated hosts.
 */
class CoordProjectsTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void sameGroupNameInTwoProjectsIsTwoGroupsForGuestsAndOperators() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=16&memory=8G\",\"name\":\"h1\"}")
                .status()).isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"red\"}").status()).isEqualTo(201);
        String redOperator = user("otto", "operator"), redViewer = user("vera", "viewer");
        assertThat(s.post("/api/v1/networks", "{\"name\":\"appnet\",\"cidr\":\"10.30.0.0/24\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/networks", "{\"name\":\"backnet\",\"cidr\":\"10.31.0.0/24\"}").status()).isEqualTo(201);
        String a = member("a1", "default", "[{\"network\":\"appnet\"}]");
        member("a2", "default", "[{\"network\":\"appnet\"},{\"network\":\"backnet\"}]");
        String intruder = member("x1", "red", null);

        // the default project's db group: its members, their addresses on the networks the caller shares
        JsonNode peers = call(a, "GET", "/v1/peers", null).json();
        assertThat(peers.path("project").asText()).isEqualTo("default");
        assertThat(peers.path("peers").findValuesAsText("name")).containsExactly("a1", "a2");
        assertThat(peers.path("peers").get(1).path("addresses").findValuesAsText("network")).as("a1 is not on backnet").containsExactly("appnet");
        assertThat(s.get("/api/v1/coord/db/peers").json().path("peers").get(1).path("addresses").findValuesAsText("network"))
                .as("an operator sees every address").containsExactly("appnet", "backnet");
        JsonNode self = call(a, "GET", "/v1/self", null).json();
        assertThat(self.path("project").asText()).isEqualTo("default");
        assertThat(self.path("addresses").get(0).path("ip").asText()).startsWith("10.30.0.");

        // red's VM labelled group=db is in red's db group, alone
        JsonNode theirs = call(intruder, "GET", "/v1/peers", null).json();
        assertThat(theirs.path("project").asText()).isEqualTo("red");
        assertThat(theirs.path("peers").findValuesAsText("name")).containsExactly("x1");
        assertThat(call(a, "PUT", "/v1/kv/config/password", "{\"value\":\"s3cret\"}").status()).isEqualTo(200);
        var read = call(intruder, "GET", "/v1/kv/config/password", null);
        assertThat(read.status()).as(read.text()).isEqualTo(404);
        assertThat(call(intruder, "GET", "/v1/kv", null).json().path("entries")).isEmpty();
        assertThat(call(intruder, "PUT", "/v1/kv/config/password", "{\"value\":\"mine\"}").status()).isEqualTo(200);
        assertThat(call(a, "GET", "/v1/kv/config/password", null).json().path("value").asText()).as("nothing overwritten").isEqualTo("s3cret");

        // leases and messages are per project too: both take leader with token 1
        JsonNode ours = call(a, "POST", "/v1/leases/leader", "{}").json();
        JsonNode redLease = call(intruder, "POST", "/v1/leases/leader", "{}").json();
        assertThat(ours.path("holder").asText()).isEqualTo("a1");
        assertThat(redLease.path("holder").asText()).isEqualTo("x1");
        assertThat(redLease.path("token").asLong()).isEqualTo(1);
        assertThat(redLease.path("project").asText()).isEqualTo("red");
        assertThat(call(a, "POST", "/v1/messages/news", "{\"body\":\"hello db\"}").status()).isEqualTo(201);
        assertThat(call(intruder, "GET", "/v1/messages/news", null).json().path("messages")).isEmpty();

        // operators: ?project= names the project; another project's group is not found; viewers only read
        assertThat(s.get("/api/v1/coord/db/kv/config/password").json().path("value").asText()).isEqualTo("s3cret");
        assertThat(s.get("/api/v1/coord/db/kv/config/password?project=red").json().path("value").asText()).isEqualTo("mine");
        assertThat(call(redOperator, "GET", "/api/v1/coord/db/kv/config/password?project=red", null).json().path("value").asText()).isEqualTo("mine");
        problem(call(redOperator, "GET", "/api/v1/coord/db/kv/config/password", null), 404, "group db not found");
        problem(call(redOperator, "GET", "/api/v1/coord/db/peers", null), 404, "group db not found");
        problem(call(redOperator, "POST", "/api/v1/coord/db/messages/news", "{\"body\":\"spoof\"}"), 404, "group db not found");
        assertThat(call(redOperator, "GET", "/api/v1/coord/leases", null).json().findValuesAsText("holder")).containsExactly("x1");
        var released = call(redOperator, "DELETE", "/api/v1/coord/db/leases/leader?project=red", null);
        assertThat(released.status()).as(released.text()).isEqualTo(200);
        problem(call(redViewer, "PUT", "/api/v1/coord/db/kv/k?project=red", "{\"value\":\"v\"}"), 403, null);
        assertThat(call(redViewer, "GET", "/api/v1/coord/db/kv?project=red", null).json().path("entries").findValuesAsText("key")).containsExactly("config/password");
        // an operator's acquire for a VM of another project than the group's is refused
        var cross = s.post("/api/v1/coord/db/leases/leader?project=red", "{\"holder\":\"a2\"}");
        assertThat(cross.status()).as(cross.text()).isEqualTo(409);
        assertThat(cross.detail()).isEqualTo("VM a2 is not a member of group red/db (its label group is db, in project default)");
    }

    private String member(String name, String project, String nics) {
        return new CoordCalls(s).member(name, project, nics);
    }

    private String user(String name, String role) {
        return new CoordCalls(s).user(name, role, "red");
    }

    private TestServer.Response call(String token, String method, String path, String body) {
        return new CoordCalls(s).call(token, method, path, body);
    }
}
