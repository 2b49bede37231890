package io.polyvisor.storage;

import io.polyvisor.server.TestServer;
import io.polyvisor.spi.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vm attach-disk|detach-disk} through the real server on simulated hosts: a free volume of the VM's host becomes
 * its next disk (on the host too), running or stopped; a detached one is a free volume again and leaves the host's
 * definition; every refusal has its exact problem+json and changes nothing, on the server or on the host.
 */
class DiskAttachApiTest extends SimHostsApi {
    /** The VM's disks as its host has them. */
    private List<String> onHost(String vm) {
        var id = UUID.fromString(s.get("/api/v1/vms/" + vm).json().path("id").asText());
        return pool(s.get("/api/v1/vms/" + vm).json().path("host").asText()).disks(id);
    }

    private void volume(String name, String host) {
        var r = s.post("/api/v1/volumes", "{\"name\":\"" + name + "\",\"size\":\"1G\",\"host\":\"" + host + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @Test
    void aVolumeIsAttachedToARunningVmAndDetachedAgain() {
        volume("root", "h1");
        volume("data1", "h1");
        volume("data2", "h1");
        volume("far", "h2");
        assertThat(s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"disks\":[\"root\"]}").status()).isEqualTo(202);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"other\",\"memory\":\"64M\",\"host\":\"h1\",\"disks\":[\"data2\"]}").status()).isEqualTo(202);
        s.await("/api/v1/vms/web", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        s.await("/api/v1/vms/other", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));

        var attached = s.post("/api/v1/vms/web/disks", "{\"volume\":\"data1\"}");
        assertThat(attached.status()).as(attached.text()).isEqualTo(200);
        assertThat(attached.json().path("disks").findValuesAsText("volume")).containsExactly("root", "data1");
        assertThat(s.get("/api/v1/vms/web").json().path("disks").findValuesAsText("volume")).containsExactly("root", "data1");
        assertThat(s.get("/api/v1/volumes/data1").json().path("vm").asText()).isEqualTo("web");
        assertThat(onHost("web")).as("hot: the running VM has it").containsExactly("root", "data1");
        assertThat(s.get("/api/v1/vms/web").json().path("state").asText()).isEqualTo("running");

        refused(s.post("/api/v1/vms/web/disks", "{\"volume\":\"data1\"}"), 409, "volume data1 is already attached to VM web");
        refused(s.post("/api/v1/vms/web/disks", "{\"volume\":\"data2\"}"), 409, "volume data2 is already attached to VM other");
        refused(s.post("/api/v1/vms/web/disks", "{\"volume\":\"far\"}"), 409, "volume far is on host h2, not on host h1 (vm web's host)");
        refused(s.post("/api/v1/vms/web/disks", "{\"volume\":\"nope\"}"), 404, "volume nope not found");
        refused(s.post("/api/v1/vms/web/disks", "{\"volume\":\"../etc\"}"), 400,
                "volume name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../etc'");
        refused(s.post("/api/v1/vms/web/disks", "{}"), 400, "volume is required");
        refused(s.post("/api/v1/vms/nope/disks", "{\"volume\":\"far\"}"), 404, "vm nope not found");
        refused(s.delete("/api/v1/vms/web/disks/root"), 409, "volume root is vm web's first disk (vda); only its other disks can be detached");
        refused(s.delete("/api/v1/vms/web/disks/far"), 409, "volume far is not attached to VM web");
        assertThat(s.post("/api/v1/vms/web/snapshots", "{\"name\":\"s1\"}").status()).isEqualTo(201);
        refused(s.delete("/api/v1/vms/web/disks/data1"), 409, "vm web has snapshots (s1); delete them before attaching or detaching disks");
        assertThat(s.delete("/api/v1/vms/web/snapshots/s1").status()).isEqualTo(204);
        assertThat(onHost("web")).as("refusals change nothing on the host").containsExactly("root", "data1");
        assertThat(s.get("/api/v1/volumes/far").json().path("vm").isNull()).isTrue();

        var detached = s.delete("/api/v1/vms/web/disks/data1");
        assertThat(detached.status()).as(detached.text()).isEqualTo(200);
        assertThat(detached.json().path("disks").findValuesAsText("volume")).containsExactly("root");
        assertThat(onHost("web")).containsExactly("root");
        assertThat(s.get("/api/v1/volumes/data1").json().path("vm").isNull()).as("a free volume again").isTrue();
        assertThat(s.delete("/api/v1/volumes/data1").status()).as("and so it can be deleted").isEqualTo(204);
        assertThat(s.get("/api/v1/events?limit=1000").json().findValuesAsText("type")).contains("volume.attached", "volume.detached");
    }

    @Test
    void aStoppedVmGetsTheDiskInItsDefinitionAndAMigratingOneIsRefused() {
        volume("root", "h1");
        volume("data1", "h1");
        assertThat(s.post("/api/v1/vms", "{\"name\":\"db\",\"memory\":\"64M\",\"disks\":[\"root\"],\"start\":false}").status()).isEqualTo(202);
        s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("stopped"), Duration.ofSeconds(20));
        assertThat(s.post("/api/v1/vms/db/disks", "{\"volume\":\"data1\"}").status()).isEqualTo(200);
        assertThat(onHost("db")).containsExactly("root", "data1");
        assertThat(s.post("/api/v1/vms/db/start", "").status()).isEqualTo(202);
        s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        assertThat(onHost("db")).as("kept across a start").containsExactly("root", "data1");
        assertThat(s.get("/api/v1/vms/db").json().path("disks").findValuesAsText("volume")).containsExactly("root", "data1");
    }
}
