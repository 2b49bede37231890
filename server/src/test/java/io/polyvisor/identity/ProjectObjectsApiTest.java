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
 * networks, volumes and security groups of its own project. Templates and security groups are their projects' too;
 * imported images are read by everyone and imported and deleted by admins only. Through the REST API of a real server
 * with simulated hosts (and the real qemu-img checking an imported image).
 */
class ProjectObjectsApiTest {
    @TempDir
    Path data;
    /** Under /tmp (an import root), like a user's files. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path files;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void networksVolumesAndGroupsAreSeenChangedAndUsedOnlyInTheirProject() {
        var people = start("{}");
        var red = people.red();
        var viewer = people.viewer();
        var blue = people.blue();

        // networks
        createdInRedOnly(red, viewer, "/api/v1/networks", "{\"name\":\"rednet\",\"cidr\":\"10.20.0.0/24\"");
        assertThat(names(viewer.get("/api/v1/networks"))).containsExactly("rednet");
        assertThat(names(blue.get("/api/v1/networks"))).isEmpty();
        problem(blue.get("/api/v1/networks/rednet"), 404, "network rednet not found");
        problem(blue.delete("/api/v1/networks/rednet"), 404, "network rednet not found");
        assertThat(s.get("/api/v1/networks/rednet").json().path("project").asText()).isEqualTo("red");

        // a VM of blue cannot join red's network; nothing of the refused create remains
        problem(blue.post("/api/v1/vms", "{\"name\":\"b1\",\"memory\":\"64M\",\"project\":\"blue\",\"nics\":[{\"network\":\"rednet\"}]}"),
                409, "network rednet is not in project blue; a VM uses only the networks, volumes and security groups of its own project");
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
                "volume redvol is not in project blue; a VM uses only the networks, volumes and security groups of its own project");
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

    @Test
    void templatesAndSecurityGroupsAreTheirProjectsAndImagesAreReadByEveryone() throws Exception {
        var people = start("{\"vms\":3}");
        var red = people.red();
        var viewer = people.viewer();
        var blue = people.blue();

        // templates: made by each project's operator (or the admin) of a stopped VM of theirs, owned by the VM's project
        stoppedVmWithDisk(red, "rsrc", "red");
        stoppedVmWithDisk(new RolesApiTest.Api(s, s.server.token()), "bsrc", "blue");
        problem(red.post("/api/v1/vms/bsrc/template", "{\"name\":\"sneak\"}"), 404, "vm bsrc not found");
        problem(red.post("/api/v1/vms/rsrc/template", "{\"name\":\"sneak\",\"project\":\"blue\"}"), 404, "project blue not found");
        problem(viewer.post("/api/v1/vms/rsrc/template", "{\"name\":\"peek\"}"), 403, null);
        var rt = red.post("/api/v1/vms/rsrc/template", "{\"name\":\"rt\"}");
        assertThat(rt.status()).as(rt.text()).isEqualTo(201);
        assertThat(rt.json().path("project").asText()).isEqualTo("red");
        var bt = s.post("/api/v1/vms/bsrc/template", "{\"name\":\"bt\"}");
        assertThat(bt.status()).as(bt.text()).isEqualTo(201);
        assertThat(bt.json().path("project").asText()).as("the source VM's project").isEqualTo("blue");
        assertThat(names(red.get("/api/v1/templates"))).containsExactly("rt");
        assertThat(names(viewer.get("/api/v1/templates"))).containsExactly("rt");
        assertThat(names(blue.get("/api/v1/templates"))).containsExactly("bt");
        assertThat(names(s.get("/api/v1/templates"))).containsExactly("bt", "rt");
        // another project's template is exactly as missing as one that does not exist
        problem(red.get("/api/v1/templates/nope"), 404, "template nope not found");
        problem(red.get("/api/v1/templates/bt"), 404, "template bt not found");
        problem(viewer.get("/api/v1/templates/bt"), 404, "template bt not found");
        problem(red.delete("/api/v1/templates/bt"), 404, "template bt not found");
        problem(red.post("/api/v1/templates/bt/clones", "{\"name\":\"steal\"}"), 404, "template bt not found");
        problem(red.post("/api/v1/vms", "{\"name\":\"steal\",\"memory\":\"64M\",\"project\":\"red\",\"image\":\"bt\"}"), 404,
                "image bt not found");
        problem(red.post("/api/v1/volumes", "{\"name\":\"steal\",\"image\":\"bt\",\"project\":\"red\"}"), 404, "image bt not found");
        assertThat(s.get("/api/v1/vms/steal").status()).isEqualTo(404);
        problem(viewer.post("/api/v1/templates/rt/clones", "{\"name\":\"rc0\"}"), 403, null);
        problem(viewer.delete("/api/v1/templates/rt"), 403, null);
        // a linked clone is in the template's project and counts in its quota (rsrc, rc1, then no room for rc3)
        var rc1 = red.post("/api/v1/templates/rt/clones", "{\"name\":\"rc1\"}");
        assertThat(rc1.status()).as(rc1.text()).isEqualTo(202);
        assertThat(s.get("/api/v1/vms/rc1").json().path("project").asText()).isEqualTo("red");
        problem(red.post("/api/v1/templates/rt/clones", "{\"name\":\"rc2\",\"project\":\"blue\"}"), 404, "project blue not found");
        var rc2 = red.post("/api/v1/templates/rt/clones", "{\"name\":\"rc2\"}");
        assertThat(rc2.status()).as(rc2.text()).isEqualTo(202);
        problem(red.post("/api/v1/templates/rt/clones", "{\"name\":\"rc3\"}"), 422, "project red is over its vms quota: 3 used + 1 asked > 3 limit");
        var bc = s.post("/api/v1/templates/rt/clones", "{\"name\":\"bc1\",\"project\":\"blue\"}");
        assertThat(bc.status()).as("the admin clones into another project: " + bc.text()).isEqualTo(202);
        assertThat(s.get("/api/v1/vms/bc1").json().path("project").asText()).isEqualTo("blue");
        s.awaitTask(bc.json().path("task").asText());
        assertThat(red.get("/api/v1/templates/rt").json().path("used_by")).as("blue's clone volume is not named to red")
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText).doesNotContain("bc1-root").contains("rc1-root");

        // images: every role reads them (a template's image only in its project); only the admin imports and deletes
        Path file = files.resolve("base.qcow2");
        var p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "64M").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        String importBody = "{\"name\":\"base\",\"file\":\"" + file + "\"}";
        problem(viewer.post("/api/v1/images", importBody), 403, "viewer vera may not call POST /api/v1/images: it needs the admin role");
        problem(red.post("/api/v1/images", importBody), 403, "operator otto may not call POST /api/v1/images: it needs the admin role");
        assertThat(s.post("/api/v1/images", importBody).status()).isEqualTo(201);
        assertThat(names(viewer.get("/api/v1/images"))).containsExactlyInAnyOrder("base", "rt");
        assertThat(names(blue.get("/api/v1/images"))).containsExactlyInAnyOrder("base", "bt");
        assertThat(viewer.get("/api/v1/images/base").status()).isEqualTo(200);
        problem(viewer.get("/api/v1/images/bt"), 404, "image bt not found");
        problem(viewer.delete("/api/v1/images/base"), 403, null);
        problem(red.delete("/api/v1/images/base"), 403, null);
        assertThat(s.get("/api/v1/images/base").status()).isEqualTo(200);

        // security groups
        createdInRedOnly(red, viewer, "/api/v1/secgroups", "{\"name\":\"rsg\",\"rules\":[{\"allow\":\"tcp:22\",\"from\":\"10.0.0.0/8\"}]");
        assertThat(blue.post("/api/v1/secgroups", "{\"name\":\"bsg\",\"project\":\"blue\"}").status()).isEqualTo(201);
        assertThat(names(red.get("/api/v1/secgroups"))).containsExactly("rsg");
        assertThat(names(viewer.get("/api/v1/secgroups"))).containsExactly("rsg");
        assertThat(names(blue.get("/api/v1/secgroups"))).containsExactly("bsg");
        problem(red.get("/api/v1/secgroups/nope"), 404, "security group nope not found");
        problem(red.get("/api/v1/secgroups/bsg"), 404, "security group bsg not found");
        problem(red.delete("/api/v1/secgroups/bsg"), 404, "security group bsg not found");
        problem(red.put("/api/v1/secgroups/bsg/rules", "{\"rules\":[]}"), 404, "security group bsg not found");
        problem(red.post("/api/v1/secgroups/bsg/members", "{\"vm\":\"rc1\"}"), 404, "security group bsg not found");
        problem(red.put("/api/v1/secgroups/rsg/rules", "{\"rules\":[{\"allow\":\"any\",\"from\":\"secgroup:bsg\"}]}"), 404,
                "security group bsg not found (rule from secgroup:bsg)");
        // the admin sees both projects: a rule of red's group naming blue's group is refused all the same, at create,
        // replace and add, and nothing changes
        String cross = "rule from secgroup:bsg names a group of project blue; a rule names only groups of its own group's project (red)";
        problem(s.put("/api/v1/secgroups/rsg/rules", "{\"rules\":[{\"allow\":\"any\",\"from\":\"secgroup:bsg\"}]}"), 409, cross);
        problem(s.post("/api/v1/secgroups/rsg/rules", "{\"allow\":\"any\",\"from\":\"secgroup:bsg\"}"), 409, cross);
        problem(s.post("/api/v1/secgroups", "{\"name\":\"rsg2\",\"project\":\"red\",\"rules\":[{\"allow\":\"any\",\"from\":\"secgroup:bsg\"}]}"), 409,
                cross);
        assertThat(s.get("/api/v1/secgroups/rsg2").status()).isEqualTo(404);
        assertThat(s.get("/api/v1/secgroups/rsg").json().path("rules").toString()).doesNotContain("bsg");
        problem(viewer.put("/api/v1/secgroups/rsg/rules", "{\"rules\":[]}"), 403, null);
        // members are VMs of the group's project: another project's VM is not found for its operator, refused for the admin
        problem(red.post("/api/v1/secgroups/rsg/members", "{\"vm\":\"bc1\"}"), 404, "vm bc1 not found");
        problem(s.post("/api/v1/secgroups/rsg/members", "{\"vm\":\"bc1\"}"), 409,
                "security group rsg is not in project blue; a VM uses only the networks, volumes and security groups of its own project");
        var joined = red.post("/api/v1/secgroups/rsg/members", "{\"vm\":\"rc1\"}");
        assertThat(joined.status()).as(joined.text()).isEqualTo(200);
        assertThat(joined.json().path("members")).extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactly("rc1");
        problem(s.post("/api/v1/vms", "{\"name\":\"b9\",\"memory\":\"64M\",\"project\":\"blue\",\"secgroups\":[\"rsg\"]}"), 409,
                "security group rsg is not in project blue; a VM uses only the networks, volumes and security groups of its own project");
        assertThat(s.get("/api/v1/vms/b9").status()).isEqualTo(404);
        assertThat(s.get("/api/v1/secgroups/rsg").json().path("members")).hasSize(1);

        // a project holding a security group is not deleted; a deleted group leaves no owner behind
        assertThat(s.post("/api/v1/projects", "{\"name\":\"green\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/secgroups", "{\"name\":\"gsg\",\"project\":\"green\"}").status()).isEqualTo(201);
        problem(s.delete("/api/v1/projects/green"), 409, "project green holds security group gsg; delete it first");
        assertThat(s.delete("/api/v1/secgroups/gsg").status()).isEqualTo(200);
        assertThat(s.delete("/api/v1/projects/green").status()).isEqualTo(204);
        assertThat(blue.delete("/api/v1/secgroups/bsg").status()).isEqualTo(200);
        problem(blue.get("/api/v1/secgroups/bsg"), 404, "security group bsg not found");
    }

    /** Operator otto and viewer vera of project red, operator bob of project blue. */
    record People(RolesApiTest.Api red, RolesApiTest.Api viewer, RolesApiTest.Api blue) {}

    /** A server with one simulated host and projects red (with {@code redQuota}) and blue, and their people. */
    private People start(String redQuota) {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=16&memory=32G\"}").status())
                .isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"red\",\"quota\":" + redQuota + "}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"blue\"}").status()).isEqualTo(201);
        return new People(new RolesApiTest.Api(s, user(s, "otto", "operator", "\"red\"", "")),
                new RolesApiTest.Api(s, user(s, "vera", "viewer", "\"red\"", "")), new RolesApiTest.Api(s, user(s, "bob", "operator", "\"blue\"", "")));
    }

    /**
     * POSTs {@code body} (a JSON object without its closing brace) to {@code path} with each project: into blue or with
     * none (default) it is 404 for red's operator, and 403 for red's viewer, each making nothing; then red's operator
     * makes it in red (201).
     */
    private static void createdInRedOnly(RolesApiTest.Api red, RolesApiTest.Api viewer, String path, String body) {
        problem(red.post(path, body + ",\"project\":\"blue\"}"), 404, "project blue not found");
        problem(red.post(path, body + "}"), 404, "project default not found");
        problem(viewer.post(path, body + ",\"project\":\"red\"}"), 403, null);
        var made = red.post(path, body + ",\"project\":\"red\"}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.json().path("project").asText()).isEqualTo("red");
    }

    /** A stopped VM {@code name} of {@code project} whose one disk is a new 1 GiB volume {@code name-d}, made by {@code api}. */
    private void stoppedVmWithDisk(RolesApiTest.Api api, String name, String project) {
        var vol = api.post("/api/v1/volumes", "{\"name\":\"" + name + "-d\",\"size\":\"1G\",\"project\":\"" + project + "\"}");
        assertThat(vol.status()).as(vol.text()).isEqualTo(201);
        var vm = api.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"project\":\"" + project
                + "\",\"start\":false,\"disks\":[\"" + name + "-d\"]}");
        assertThat(vm.status()).as(vm.text()).isEqualTo(202);
        s.awaitTask(vm.json().path("task").path("id").asText());
        s.await("/api/v1/vms/" + name, v -> v.path("state").asText().equals("stopped"), Duration.ofSeconds(20));
    }
}
