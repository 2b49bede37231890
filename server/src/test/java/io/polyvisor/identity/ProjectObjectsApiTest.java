package io.polyvisor.identity;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.polyvisor.identity.RolesApiTest.names;
import static io.polyvisor.identity.RolesApiTest.problem;
import static io.polyvisor.identity.RolesApiTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Networks, volumes and elastic groups belong to a project, as VMs do: only the people of that project see or change
 * them (anyone else gets the same 404 as for a name that does not exist), viewers only read, and a VM uses only the
 * networks and volumes of its own project. Through the REST API of a real server with simulated hosts.
 */
class ProjectObjectsApiTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void networksVolumesAndGroupsAreSeenChangedAndUsedOnlyInTheirProject() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=16&memory=32G\"}").status())
                .isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"red\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"blue\"}").status()).isEqualTo(201);
        var red = new RolesApiTest.Api(s, user(s, "otto", "operator", "\"red\"", ""));
        var viewer = new RolesApiTest.Api(s, user(s, "vera", "viewer", "\"red\"", ""));
        var blue = new RolesApiTest.Api(s, user(s, "bob", "operator", "\"blue\"", ""));

        // networks
        var net = red.post("/api/v1/networks", "{\"name\":\"rednet\",\"cidr\":\"10.20.0.0/24\",\"project\":\"red\"}");
        assertThat(net.status()).as(net.text()).isEqualTo(201);
        assertThat(net.json().path("project").asText()).isEqualTo("red");
        problem(red.post("/api/v1/networks", "{\"name\":\"sneak\",\"cidr\":\"10.21.0.0/24\",\"project\":\"blue\"}"), 404, "project blue not found");
        problem(red.post("/api/v1/networks", "{\"name\":\"sneak\",\"cidr\":\"10.21.0.0/24\"}"), 404, "project default not found");
        problem(viewer.post("/api/v1/networks", "{\"name\":\"peek\",\"cidr\":\"10.22.0.0/24\",\"project\":\"red\"}"), 403, null);
        assertThat(names(viewer.get("/api/v1/networks"))).containsExactly("rednet");
        assertThat(names(blue.get("/api/v1/networks"))).isEmpty();
        problem(blue.get("/api/v1/networks/rednet"), 404, "network rednet not found");
        problem(blue.delete("/api/v1/networks/rednet"), 404, "network rednet not found");
        assertThat(s.get("/api/v1/networks/rednet").json().path("project").asText()).isEqualTo("red");

        // a VM of blue cannot join red's network; nothing of the refused create remains
        problem(blue.post("/api/v1/vms", "{\"name\":\"b1\",\"memory\":\"64M\",\"project\":\"blue\",\"nics\":[{\"network\":\"rednet\"}]}"),
                409, "network rednet is not in project blue; a VM uses only the networks and volumes of its own project");
        assertThat(s.get("/api/v1/vms/b1").status()).isEqualTo(404);
        var r1 = red.post("/api/v1/vms", "{\"name\":\"r1\",\"memory\":\"64M\",\"project\":\"red\",\"nics\":[{\"network\":\"rednet\"}]}");
        assertThat(r1.status()).as(r1.text()).isEqualTo(202);

        // volumes
        var vol = red.post("/api/v1/volumes", "{\"name\":\"redvol\",\"size\":\"1G\",\"project\":\"red\"}");
        assertThat(vol.status()).as(vol.text()).isEqualTo(201);
        assertThat(vol.json().path("project").asText()).isEqualTo("red");
        assertThat(names(viewer.get("/api/v1/volumes"))).contains("redvol");
        assertThat(names(blue.get("/api/v1/volumes"))).doesNotContain("redvol");
        problem(blue.get("/api/v1/volumes/redvol"), 404, "volume redvol not found");
        problem(blue.post("/api/v1/volumes/redvol/resize", "{\"size\":\"2G\"}"), 404, "volume redvol not found");
        problem(blue.delete("/api/v1/volumes/redvol"), 404, "volume redvol not found");
        var b2 = blue.post("/api/v1/vms", "{\"name\":\"b2\",\"memory\":\"64M\",\"project\":\"blue\"}");
        assertThat(b2.status()).as(b2.text()).isEqualTo(202);
        s.awaitTask(b2.json().path("task").path("id").asText());
        problem(blue.post("/api/v1/vms/b2/disks", "{\"volume\":\"redvol\"}"), 409,
                "volume redvol is not in project blue; a VM uses only the networks and volumes of its own project");
        problem(blue.post("/api/v1/vms/r1/disks", "{\"volume\":\"redvol\"}"), 404, "vm r1 not found");
        assertThat(s.get("/api/v1/volumes/redvol").json().path("vm").isNull()).isTrue();

        // groups: members are VMs of the group's project
        var group = red.post("/api/v1/groups", "{\"name\":\"redweb\",\"memory\":\"64M\",\"port\":80,\"min\":1,\"max\":2,\"project\":\"red\"}");
        assertThat(group.status()).as(group.text()).isEqualTo(201);
        assertThat(group.json().path("project").asText()).isEqualTo("red");
        await().atMost(Duration.ofSeconds(20)).until(() -> names(red.get("/api/v1/vms")).contains("redweb-1"));
        assertThat(s.get("/api/v1/vms/redweb-1").json().path("project").asText()).isEqualTo("red");
        assertThat(names(blue.get("/api/v1/groups"))).isEmpty();
        assertThat(names(viewer.get("/api/v1/groups"))).containsExactly("redweb");
        problem(blue.get("/api/v1/groups/redweb"), 404, "group redweb not found");
        problem(blue.delete("/api/v1/groups/redweb"), 404, "group redweb not found");
        problem(viewer.delete("/api/v1/groups/redweb"), 403, null);
        assertThat(red.delete("/api/v1/groups/redweb").status()).isEqualTo(202);

        // a project that still holds a network (or volume, or group) is not deleted: a later one of its name would inherit it
        problem(s.delete("/api/v1/projects/blue"), 409, "project blue holds 1 VM; delete them first");
        assertThat(blue.delete("/api/v1/vms/b2").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> s.get("/api/v1/vms/b2").status() == 404
                || s.get("/api/v1/vms/b2").json().path("state").asText().equals("deleted"));
        assertThat(s.post("/api/v1/networks", "{\"name\":\"bluenet\",\"cidr\":\"10.30.0.0/24\",\"project\":\"blue\"}").status()).isEqualTo(201);
        problem(s.delete("/api/v1/projects/blue"), 409, "project blue holds network bluenet; delete it first");
        assertThat(s.delete("/api/v1/networks/bluenet").status()).isEqualTo(200);
    }
}
