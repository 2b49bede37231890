package io.polyvisor.storage;

import io.polyvisor.server.TestServer;
import io.polyvisor.spi.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Templates and linked clones through the real server on simulated hosts: a template is made only of a stopped VM with
 * one disk, lives in its host's pool, and its linked clones are VMs on that host with copy-on-write root volumes over
 * it; it cannot be deleted while a clone uses it. Refusals carry their exact problem+json and make nothing.
 */
class TemplateApiTest extends SimHostsApi {

    private void vm(String name, String body) {
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\"" + body + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.await("/api/v1/vms/" + name, v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
    }

    private void stopVm(String name) {
        assertThat(s.post("/api/v1/vms/" + name + "/stop", "{\"force\":true}").status()).isEqualTo(202);
        s.await("/api/v1/vms/" + name, v -> v.path("state").asText().equals("stopped"), Duration.ofSeconds(20));
    }

    @Test
    void aTemplateIsMadeOnlyOfAStoppedVmWithOneDisk() {
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"d\",\"size\":\"2G\",\"host\":\"h2\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"e\",\"size\":\"1G\",\"host\":\"h2\"}").status()).isEqualTo(201);
        vm("src", ",\"vcpus\":2,\"disks\":[\"d\"]");
        vm("plain", "");
        vm("two", ",\"disks\":[\"e\"]");
        refused(s.post("/api/v1/vms/src/template", "{\"name\":\"t1\"}"), 409, "vm src is running; it must be stopped to be made a template");
        refused(s.post("/api/v1/vms/plain/template", "{\"name\":\"t1\"}"), 409, "vm plain has no disks to make a template of");
        refused(s.post("/api/v1/vms/nope/template", "{\"name\":\"t1\"}"), 404, "vm nope not found");
        stopVm("src");
        refused(s.post("/api/v1/vms/src/template", "{\"name\":\"../t\"}"), 400,
                "template name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../t'");
        refused(s.post("/api/v1/vms/src/template", "{}"), 400, "name is required");
        assertThat(s.get("/api/v1/templates").json()).isEmpty();
        assertThat(pool("h2").hasImage("t1")).isFalse();

        var made = s.post("/api/v1/vms/src/template", "{\"name\":\"t1\"}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.json().path("host").asText()).isEqualTo("h2");
        assertThat(made.json().path("source").asText()).isEqualTo("src");
        assertThat(made.json().path("vcpus").asInt()).isEqualTo(2);
        assertThat(made.json().path("disk_size").asText()).isEqualTo("2 GiB");
        assertThat(pool("h2").hasImage("t1")).isTrue();
        assertThat(pool("h1").hasImage("t1")).isFalse();
        assertThat(s.get("/api/v1/images/t1").json().path("host").asText()).as("a template's disk is an image of its name").isEqualTo("h2");
        refused(s.post("/api/v1/vms/src/template", "{\"name\":\"t1\"}"), 409,
                "an image named t1 already exists (a template's disk is an image of its name)");
        refused(s.get("/api/v1/templates/t9"), 404, "template t9 not found");
    }

    @Test
    void linkedClonesRunOnTheTemplatesHostOverItsImageAndHoldItUntilDeleted() {
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"d\",\"size\":\"2G\",\"host\":\"h2\"}").status()).isEqualTo(201);
        vm("src", ",\"disks\":[\"d\"]");
        stopVm("src");
        assertThat(s.post("/api/v1/vms/src/template", "{\"name\":\"t1\"}").status()).isEqualTo(201);
        assertThat(s.delete("/api/v1/vms/src").status()).as("the template does not need its source any more").isEqualTo(202);

        for (String c : List.of("c1", "c2", "c3")) {
            var r = s.post("/api/v1/templates/t1/clones", "{\"name\":\"" + c + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(r.json().path("host").asText()).isEqualTo("h2");
            assertThat(r.json().path("volumes").get(0).asText()).isEqualTo(c + "-root");
        }
        for (String c : List.of("c1", "c2", "c3")) {
            var vm = s.await("/api/v1/vms/" + c, v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
            assertThat(vm.path("host").asText()).isEqualTo("h2");
            assertThat(pool("h2").volume(c + "-root")).map(Storage.VolumeInfo::image).as("copy-on-write over the template").contains("t1");
        }
        assertThat(s.get("/api/v1/templates/t1").json().path("used_by").size()).isEqualTo(3);

        refused(s.post("/api/v1/templates/t1/clones", "{\"name\":\"c1\"}"), 409, "a VM named c1 already exists");
        refused(s.post("/api/v1/templates/t1/clones", "{\"name\":\"c/1\"}"), 400,
                "VM name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'c/1'");
        refused(s.post("/api/v1/templates/nope/clones", "{\"name\":\"c4\"}"), 404, "template nope not found");
        refused(s.post("/api/v1/templates/t1/clones", "{\"name\":\"c4\",\"linked\":true}"), 400, "unknown field 'linked'; allowed: name, project, start");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"image\":\"t1\",\"host\":\"h1\"}"), 409,
                "template t1's image is only in host h2's pool; a volume over it must be on host h2, not on host h1");
        refused(s.post("/api/v1/vms", "{\"name\":\"c5\",\"memory\":\"64M\",\"image\":\"t1\",\"host\":\"h1\"}"), 409,
                "template t1's image is only in host h2's pool; a volume over it must be on host h2, not on host h1");
        assertThat(pool("h1").volumes()).isEmpty();
        refused(s.delete("/api/v1/templates/t1"), 409, "image t1 is in use by volumes c1-root, c2-root, c3-root");

        for (String c : List.of("c1", "c2", "c3")) assertThat(s.delete("/api/v1/vms/" + c).status()).isEqualTo(202);
        s.await("/api/v1/volumes", vs -> vs.size() == 1, Duration.ofSeconds(20));
        assertThat(s.delete("/api/v1/templates/t1").status()).isEqualTo(204);
        assertThat(pool("h2").hasImage("t1")).isFalse();
        assertThat(s.get("/api/v1/templates").json()).isEmpty();
        assertThat(s.get("/api/v1/images").json()).isEmpty();
    }
}
