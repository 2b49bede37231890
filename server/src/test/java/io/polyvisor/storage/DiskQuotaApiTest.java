package io.polyvisor.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.model.Sizes;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project's disk quota through the real server on simulated hosts: the sizes of its volumes add up to at most its
 * {@code disk} limit, for volume creates, resizes, a VM's own root volume and full clones; every refusal is a 422 with
 * the figures and leaves nothing made (no row, no volume in any pool); lifting the limit lets the same request through.
 */
class DiskQuotaApiTest extends SimHostsApi {
    private void overQuota(io.polyvisor.server.TestServer.Response r, long used, long asked) throws Exception {
        refused(r, 422, "project red is over its disk quota: " + Sizes.format(used) + " used + " + Sizes.format(asked) + " asked > 3 GiB limit");
        assertThat(r.json().path("type").asText()).isEqualTo("/problems/over-quota");
        assertThat(r.json().path("quota")).isEqualTo(new ObjectMapper().readTree(
                "{\"project\":\"red\",\"resource\":\"disk\",\"used\":" + used + ",\"asked\":" + asked + ",\"limit\":" + 3 * Sizes.GiB + "}"));
    }

    @Test
    void volumesOfAProjectAddUpToAtMostItsDiskQuota() throws Exception {
        var p = s.post("/api/v1/projects", "{\"name\":\"red\",\"quota\":{\"disk_bytes\":" + 3 * Sizes.GiB + "}}");
        assertThat(p.status()).as(p.text()).isEqualTo(201);
        assertThat(p.json().path("quota").path("disk_bytes").asLong()).isEqualTo(3 * Sizes.GiB);
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"a\",\"size\":\"2G\",\"project\":\"red\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"other\",\"size\":\"5G\"}").status()).as("project default has no limit").isEqualTo(201);
        assertThat(s.get("/api/v1/projects/red").json().path("usage").path("disk_bytes").asLong()).isEqualTo(2 * Sizes.GiB);

        overQuota(s.post("/api/v1/volumes", "{\"name\":\"b\",\"size\":\"2G\",\"project\":\"red\"}"), 2 * Sizes.GiB, 2 * Sizes.GiB);
        refused(s.get("/api/v1/volumes/b"), 404, "volume b not found");
        assertThat(pool("h1").volume("b")).isEmpty();
        assertThat(pool("h2").volume("b")).isEmpty();

        overQuota(s.post("/api/v1/volumes/a/resize", "{\"size\":\"4G\"}"), 2 * Sizes.GiB, 2 * Sizes.GiB);
        assertThat(s.get("/api/v1/volumes/a").json().path("size_bytes").asLong()).isEqualTo(2 * Sizes.GiB);
        assertThat(s.post("/api/v1/volumes/a/resize", "{\"size\":\"3G\"}").status()).as("up to the limit").isEqualTo(200);

        // a VM's own root volume counts too: refused in the VM's create, nothing left behind
        Path img = data.resolveSibling(data.getFileName() + "-img.qcow2");
        var made = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", "/tmp/" + img.getFileName(), "64M").inheritIO().start();
        assertThat(made.waitFor()).isZero();
        try {
            assertThat(s.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"/tmp/" + img.getFileName() + "\"}").status()).isEqualTo(201);
        } finally {
            java.nio.file.Files.deleteIfExists(Path.of("/tmp/" + img.getFileName()));
        }
        var vm = s.post("/api/v1/vms", "{\"name\":\"r1\",\"memory\":\"64M\",\"image\":\"base\",\"disk_size\":\"1G\",\"project\":\"red\"}");
        overQuota(vm, 3 * Sizes.GiB, Sizes.GiB);
        assertThat(s.get("/api/v1/vms/r1").status()).isEqualTo(404);
        refused(s.get("/api/v1/volumes/r1-root"), 404, "volume r1-root not found");
        assertThat(pool("h1").volume("r1-root")).isEmpty();
        assertThat(pool("h2").volume("r1-root")).isEmpty();

        // lifting the limit lets the same requests through
        var lift = s.send(s.request("/api/v1/projects/red").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"quota\":{\"disk_bytes\":null}}")).build());
        assertThat(lift.status()).as(lift.text()).isEqualTo(200);
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"b\",\"size\":\"2G\",\"project\":\"red\"}").status()).isEqualTo(201);
        var r1 = s.post("/api/v1/vms", "{\"name\":\"r1\",\"memory\":\"64M\",\"image\":\"base\",\"disk_size\":\"1G\",\"project\":\"red\"}");
        assertThat(r1.status()).as(r1.text()).isEqualTo(202);
        assertThat(s.get("/api/v1/projects/red").json().path("usage").path("disk_bytes").asLong()).isEqualTo(6 * Sizes.GiB);
    }
}
