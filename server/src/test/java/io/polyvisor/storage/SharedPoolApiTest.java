package io.polyvisor.storage;

import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.Storage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared pools through the real server on three simulated hosts, h1 and h2 declaring pool {@code shared1} and h3 not:
 * declarations validated to the letter, volumes made in the pool, a VM on it placed and migrated only among the hosts
 * that declare it (its volume never moves), admission control leaving a VM on local disks out of its reservations, and
 * an HA restart of the shared-disk VM on the other declaring host while a VM on local disks is not restarted.
 */
class SharedPoolApiTest extends SimHostsApi {
    private static final String PATH = "/srv/polyvisor-shared1";

    /** Pool {@code shared1} as the simulator holds it, seen from {@code host} (not through the server). */
    private Storage shared(String host) {
        return new SimDriver().connect(URI.create("sim://" + dc + "/" + host)).storage().shared("shared1", PATH);
    }

    private void addH3() {
        var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h3?cpus=8&memory=16G\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    private String pool(String name, String path, String hosts) {
        return "{\"name\":\"" + name + "\",\"path\":\"" + path + "\",\"hosts\":" + hosts + "}";
    }

    @Test
    void poolDeclarationsAreValidatedAndAHostCarriesTheLabelsOfThePoolsItDeclares() {
        addH3();
        refused(s.post("/api/v1/pools", pool("Bad", PATH, "[\"h1\"]")), 400,
                "pool name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'Bad'");
        refused(s.post("/api/v1/pools", pool("a".repeat(41), PATH, "[\"h1\"]")), 400, "pool name must be at most 40 characters, got 41");
        refused(s.post("/api/v1/pools", pool("polyvisor", PATH, "[\"h1\"]")), 400,
                "pool name polyvisor is every host's local pool; choose another name");
        refused(s.post("/api/v1/pools", pool("p", "srv/x", "[\"h1\"]")), 400, "path must be absolute, got 'srv/x'");
        refused(s.post("/api/v1/pools", pool("p", "/srv/../etc", "[\"h1\"]")), 400,
                "path must be normalised (no empty, '.' or '..' segments), got '/srv/../etc'");
        refused(s.post("/api/v1/pools", pool("p", "/", "[\"h1\"]")), 400,
                "path must be normalised (no empty, '.' or '..' segments), got '/'");
        refused(s.post("/api/v1/pools", pool("p", PATH, "[]")), 400, "a shared pool needs at least one host that mounts it");
        refused(s.post("/api/v1/pools", pool("p", PATH, "[\"h1\",\"h1\"]")), 400, "host h1 is named twice");
        refused(s.post("/api/v1/pools", pool("p", PATH, "[\"h1\",\"h9\"]")), 404, "host h9 not found");
        refused(s.post("/api/v1/pools", "{\"name\":\"p\",\"path\":\"" + PATH + "\"}"), 400, "a shared pool needs at least one host that mounts it");
        assertThat(s.get("/api/v1/pools").json().size()).as("nothing declared by a refusal").isZero();

        var made = s.post("/api/v1/pools", pool("shared1", PATH + "/", "[\"h2\",\"h1\"]"));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.json().path("path").asText()).isEqualTo(PATH);
        assertThat(made.json().path("hosts").toString()).isEqualTo("[\"h1\",\"h2\"]");
        refused(s.post("/api/v1/pools", pool("shared1", "/srv/other", "[\"h3\"]")), 409, "a pool named shared1 already exists");
        refused(s.post("/api/v1/pools", pool("shared2", PATH, "[\"h3\"]")), 409, "pool shared1 is already at " + PATH);

        assertThat(s.get("/api/v1/hosts/h1").json().path("labels").path("pool.polyvisor.io/shared1").asText()).isEqualTo("shared");
        assertThat(s.get("/api/v1/hosts/h3").json().path("labels").has("pool.polyvisor.io/shared1")).isFalse();
        refused(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h4\",\"labels\":{\"pool.polyvisor.io/x\":\"shared\"}}"), 400,
                "label pool.polyvisor.io/x is reserved: a host gets the labels pool.polyvisor.io/NAME of the shared pools declared on it"
                        + " (polyvisor pool create)");

        var h3 = s.post("/api/v1/pools/shared1/hosts", "{\"host\":\"h3\"}");
        assertThat(h3.status()).as(h3.text()).isEqualTo(200);
        assertThat(h3.json().path("hosts").toString()).isEqualTo("[\"h1\",\"h2\",\"h3\"]");
        assertThat(s.get("/api/v1/hosts/h3").json().path("labels").path("pool.polyvisor.io/shared1").asText()).isEqualTo("shared");
        var off = s.delete("/api/v1/pools/shared1/hosts/h3");
        assertThat(off.status()).as(off.text()).isEqualTo(200);
        assertThat(s.get("/api/v1/hosts/h3").json().path("labels").has("pool.polyvisor.io/shared1")).isFalse();
        refused(s.delete("/api/v1/pools/shared1/hosts/h3"), 404, "host h3 does not declare pool shared1");
        refused(s.get("/api/v1/pools/nope"), 404, "pool nope not found");

        assertThat(s.delete("/api/v1/pools/shared1").status()).isEqualTo(204);
        assertThat(s.get("/api/v1/hosts/h1").json().path("labels").has("pool.polyvisor.io/shared1")).isFalse();
    }

    @Test
    void aVmCreatedFromAnImageGetsItsRootVolumeInASharedPoolWhenAsked() throws Exception {
        addH3();
        assertThat(s.post("/api/v1/pools", pool("shared1", PATH, "[\"h2\",\"h3\"]")).status()).isEqualTo(201);
        var file = java.nio.file.Files.createTempFile(java.nio.file.Path.of("/tmp"), "shared-base", ".qcow2");
        try {
            var made = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "64M").inheritIO().start();
            assertThat(made.waitFor()).isZero();
            assertThat(s.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"" + file + "\"}").status()).isEqualTo(201);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        refused(s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"disk_pool\":\"shared1\"}"), 400, "disk_pool needs an image");
        refused(s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"image\":\"base\",\"disk_pool\":\"nope\"}"), 404,
                "pool nope not found");
        var pinned = s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"image\":\"base\",\"disk_pool\":\"shared1\",\"host\":\"h1\"}");
        assertThat(pinned.status()).as(pinned.text()).isEqualTo(422);
        assertThat(pinned.detail()).contains("the VM's disk web-root is in shared pool shared1, which host h1 does not declare");
        assertThat(shared("h2").volumes()).as("nothing made by a refusal").isEmpty();

        var ok = s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"image\":\"base\",\"disk_pool\":\"shared1\"}");
        assertThat(ok.status()).as(ok.text()).isEqualTo(202);
        var web = s.await("/api/v1/vms/web", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        assertThat(web.path("host").asText()).isIn("h2", "h3");
        assertThat(web.path("disks").get(0).path("pool").asText()).isEqualTo("shared1");
        assertThat(s.get("/api/v1/volumes/web-root").json().path("pool").asText()).isEqualTo("shared1");
        assertThat(shared("h3").volume("web-root")).isPresent();
        assertThat(pool(web.path("host").asText()).volume("web-root")).as("not in the host's local pool").isEmpty();

        assertThat(s.delete("/api/v1/vms/web").status()).isEqualTo(202);
        s.await("/api/v1/volumes", v -> v.isEmpty(), Duration.ofSeconds(20));
        assertThat(shared("h2").volume("web-root")).as("deleted from the shared pool with its VM").isEmpty();
    }

    @Test
    void aVmOnASharedPoolMovesOnlyAmongItsHostsAndHaRestartsItThereButNotAVmOnLocalDisks() {
        addH3();
        assertThat(s.post("/api/v1/pools", pool("shared1", PATH, "[\"h1\",\"h2\"]")).status()).isEqualTo(201);

        refused(s.post("/api/v1/volumes", "{\"name\":\"data\",\"size\":\"1G\",\"pool\":\"shared1\",\"host\":\"h3\"}"), 409,
                "host h3 does not declare shared pool shared1 (declared on h1, h2)");
        refused(s.post("/api/v1/volumes", "{\"name\":\"data\",\"size\":\"1G\",\"pool\":\"nope\"}"), 404, "pool nope not found");
        refused(s.post("/api/v1/volumes", "{\"name\":\"data\",\"size\":\"2T\",\"pool\":\"shared1\"}"), 409,
                "shared pool shared1 has 1 TiB available; 2 TiB asked");
        var data = s.post("/api/v1/volumes", "{\"name\":\"data\",\"size\":\"1G\",\"pool\":\"shared1\"}");
        assertThat(data.status()).as(data.text()).isEqualTo(201);
        assertThat(data.json().path("pool").asText()).isEqualTo("shared1");
        assertThat(shared("h2").volume("data")).as("one file every declaring host sees").isPresent();
        assertThat(pool("h1").volume("data")).as("not in a host's local pool").isEmpty();

        var onH3 = s.post("/api/v1/vms", "{\"name\":\"db\",\"memory\":\"64M\",\"disks\":[\"data\"],\"protection\":\"restart\",\"host\":\"h3\"}");
        assertThat(onH3.status()).as(onH3.text()).isEqualTo(422);
        assertThat(onH3.detail()).contains("the VM's disk data is in shared pool shared1, which host h3 does not declare");
        assertThat(s.get("/api/v1/vms/db").status()).isEqualTo(404);

        assertThat(s.post("/api/v1/vms", "{\"name\":\"db\",\"memory\":\"64M\",\"disks\":[\"data\"],\"protection\":\"restart\"}").status())
                .isEqualTo(202);
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"ld\",\"size\":\"1G\",\"host\":\"h2\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"loc\",\"memory\":\"64M\",\"disks\":[\"ld\"],\"protection\":\"restart\"}").status())
                .isEqualTo(202);
        var db = s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        s.await("/api/v1/vms/loc", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        assertThat(db.path("host").asText()).isIn("h1", "h2");
        assertThat(db.path("disks").get(0).path("pool").asText()).isEqualTo("shared1");

        // a live migration to h3 is refused; to the other declaring host it moves the VM and not its volume
        var toH3 = s.post("/api/v1/vms/db/migrate", "{\"to\":\"h3\"}");
        assertThat(toH3.status()).as(toH3.text()).isEqualTo(422);
        assertThat(toH3.detail()).contains("the VM's disk data is in shared pool shared1, which host h3 does not declare");
        if (!db.path("host").asText().equals("h2")) {
            var m = s.post("/api/v1/vms/db/migrate", "{\"to\":\"h2\"}");
            assertThat(m.status()).as(m.text()).isEqualTo(202);
            s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("running") && v.path("host").asText().equals("h2"),
                    Duration.ofSeconds(20));
        }
        assertThat(shared("h1").volume("data")).isPresent();
        assertThat(pool("h2").volume("data")).as("a shared volume is not copied into the destination's pool").isEmpty();

        // HA: loc (local disk) reserves nothing, so tolerating one failure is possible; db is protected, loc is not
        var put = s.send(s.request("/api/v1/ha/settings").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"tolerate_host_failures\":1}")).build());
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        var status = s.get("/api/v1/ha/status").json();
        assertThat(status.path("admission").path("ok").asBoolean()).as(status.toString()).isTrue();
        for (var v : status.path("protected_vms")) {
            if (v.path("name").asText().equals("loc")) {
                assertThat(v.path("unprotected").asText())
                        .isEqualTo("its disks (ld) are volumes in host h2's local pool: HA cannot restart it on another host");
            } else {
                assertThat(v.path("unprotected").isNull()).as("db's disk is in a shared pool: " + v).isTrue();
            }
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> s.get("/api/v1/ha/status").json().path("hosts")
                .findValues("heartbeat_age_ms").stream().allMatch(n -> n.isNumber()));
        SimDatacenter.named(dc).crashHost("h2");
        var restarted = s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("running") && !v.path("host").asText().equals("h2"),
                Duration.ofSeconds(30));
        assertThat(restarted.path("host").asText()).as("the other host that declares shared1, not h3").isEqualTo("h1");
        assertThat(shared("h1").volume("data")).isPresent();
        var loc = s.get("/api/v1/vms/loc").json();
        assertThat(loc.path("host").asText()).as("a VM on local disks is not restarted elsewhere").isEqualTo("h2");
        assertThat(loc.path("state").asText()).isNotEqualTo("running");
        assertThat(SimDatacenter.named(dc).runningOn(java.util.UUID.fromString(loc.path("id").asText()))).isEmpty();

        refused(s.delete("/api/v1/pools/shared1"), 409, "pool shared1 holds volumes (data); delete them first");
        refused(s.delete("/api/v1/pools/shared1/hosts/h1"), 409, "host h1 runs VMs with disks in pool shared1 (db); move them first");
    }
}
