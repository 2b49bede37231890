package io.polyvisor.storage;

import io.polyvisor.server.TestServer;
import io.polyvisor.spi.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage through the real server on simulated hosts: volumes, images (checked by the real qemu-img), VMs with disks,
 * snapshots; and hostile input, each answered with its exact problem+json and nothing made (no row, no volume in a
 * host's pool, no file kept).
 */
class StorageApiTest extends SimHostsApi {
    /** Under /tmp (an import root), like a user's files. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path files;

    private Path qcow2(String name, String... extra) throws Exception {
        Path f = files.resolve(name);
        var cmd = new java.util.ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of(f.toString(), "64M"));
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("qemu-img create: " + out).isTrue();
        return f;
    }

    @Test
    void volumesAreCreatedGrownAndDeletedAndNeverShrink() {
        var made = s.post("/api/v1/volumes", "{\"name\":\"data1\",\"size\":\"1G\",\"host\":\"h2\"}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.json().path("host").asText()).isEqualTo("h2");
        assertThat(made.json().path("size").asText()).isEqualTo("1 GiB");
        assertThat(pool("h2").volume("data1")).map(Storage.VolumeInfo::capacityBytes).contains(1L << 30);
        assertThat(s.get("/api/v1/volumes").json().findValuesAsText("name")).containsExactly("data1");
        assertThat(s.get("/api/v1/volumes/data1").json().path("size_bytes").asLong()).isEqualTo(1L << 30);

        var grown = s.post("/api/v1/volumes/data1/resize", "{\"size\":\"2G\"}");
        assertThat(grown.status()).as(grown.text()).isEqualTo(200);
        assertThat(pool("h2").volume("data1")).map(Storage.VolumeInfo::capacityBytes).contains(2L << 30);
        refused(s.post("/api/v1/volumes/data1/resize", "{\"size\":\"1G\"}"), 409,
                "volume data1 is 2 GiB; shrinking is refused (asked 1 GiB)");
        refused(s.post("/api/v1/volumes/data1/resize", "{\"size\":\"17T\"}"), 400, "size must be between 1 MiB and 16 TiB, got 17 TiB");
        refused(s.post("/api/v1/volumes", "{\"name\":\"data1\",\"size\":\"1G\"}"), 409, "a volume named data1 already exists");
        assertThat(pool("h2").volume("data1")).map(Storage.VolumeInfo::capacityBytes).contains(2L << 30);

        assertThat(s.delete("/api/v1/volumes/data1").status()).isEqualTo(204);
        assertThat(pool("h2").volume("data1")).isEmpty();
        refused(s.get("/api/v1/volumes/data1"), 404, "volume data1 not found");
    }

    @Test
    void hostileVolumeRequestsAreRefusedAndMakeNothing() {
        String names = "volume name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '";
        refused(s.post("/api/v1/volumes", "{\"name\":\"../etc/passwd\",\"size\":\"1G\"}"), 400, names + "../etc/passwd'");
        refused(s.post("/api/v1/volumes", "{\"name\":\"a/b\",\"size\":\"1G\"}"), 400, names + "a/b'");
        refused(s.post("/api/v1/volumes", "{\"name\":\"x.qcow2\",\"size\":\"1G\"}"), 400, names + "x.qcow2'");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"0\"}"), 400, "size must be between 1 MiB and 16 TiB, got 0");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"-5G\"}"), 400, "size must be between 1 MiB and 16 TiB, got '-5G'");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"17T\"}"), 400, "size must be between 1 MiB and 16 TiB, got 17 TiB");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"512K\"}"), 400, "size must be between 1 MiB and 16 TiB, got 512 KiB");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"10X\"}"), 400, "size must be a size such as 512M, 4G or 1T, got '10X'");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\"}"), 400, "size is required for a volume without an image (e.g. 10G)");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"2T\",\"host\":\"h1\"}"), 409,
                "host h1's pool has 1 TiB available; 2 TiB asked");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"1G\",\"image\":\"nope\"}"), 404, "image nope not found");
        refused(s.post("/api/v1/volumes", "{\"name\":\"v\",\"size\":\"1G\",\"host\":\"h9\"}"), 404, "host h9 not found");
        assertThat(s.get("/api/v1/volumes").json()).isEmpty();
        assertThat(pool("h1").volumes()).isEmpty();
        assertThat(pool("h2").volumes()).isEmpty();
    }

    @Test
    void imagesAreCheckedByQemuImgAndHostileOnesRefusedWithNothingKept() throws Exception {
        Path good = qcow2("good.qcow2");
        Path raw = files.resolve("raw.img");
        Files.write(raw, new byte[2 << 20]);
        Path escape = qcow2("escape.qcow2", "-b", "/etc/passwd", "-F", "raw");
        Path link = Files.createSymbolicLink(files.resolve("link.img"), Path.of("/etc/passwd"));

        refused(s.post("/api/v1/images", "{\"name\":\"bad\",\"file\":\"" + raw + "\",\"format\":\"qcow2\"}"), 400,
                "image bad was declared qcow2 but the file is raw");
        refused(s.post("/api/v1/images", "{\"name\":\"bad\",\"file\":\"" + good + "\",\"format\":\"raw\"}"), 400,
                "image bad was declared raw but the file is qcow2");
        refused(s.post("/api/v1/images", "{\"name\":\"esc\",\"file\":\"" + escape + "\"}"), 400,
                "image esc has a backing file ('/etc/passwd'): only self-contained images are accepted");
        refused(s.post("/api/v1/images", "{\"name\":\"pw\",\"file\":\"/etc/passwd\",\"format\":\"raw\"}"), 400,
                "file must be under one of /var/lib/polyvisor, /srv, /var/tmp, /tmp, got '/etc/passwd'");
        refused(s.post("/api/v1/images", "{\"name\":\"pw\",\"file\":\"" + link + "\",\"format\":\"raw\"}"), 400,
                "file must be under one of /var/lib/polyvisor, /srv, /var/tmp, /tmp, got '" + link + "' (it resolves to '/etc/passwd')");
        refused(s.post("/api/v1/images", "{\"name\":\"x\",\"file\":\"" + good + "\",\"format\":\"vmdk\"}"), 400,
                "format must be qcow2 or raw, got 'vmdk'");
        refused(s.post("/api/v1/images", "{\"name\":\"../x\",\"file\":\"" + good + "\"}"), 400,
                "image name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../x'");
        assertThat(s.get("/api/v1/images").json()).isEmpty();
        assertThat(data.resolve("images")).satisfiesAnyOf(d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());

        var imported = s.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"" + good + "\"}");
        assertThat(imported.status()).as(imported.text()).isEqualTo(201);
        assertThat(imported.json().path("format").asText()).isEqualTo("qcow2");
        assertThat(imported.json().path("virtual_size_bytes").asLong()).isEqualTo(64L << 20);
        refused(s.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"" + good + "\"}"), 409, "an image named base already exists");
        assertThat(data.resolve("images/base.qcow2")).exists();

        var vol = s.post("/api/v1/volumes", "{\"name\":\"v1\",\"image\":\"base\",\"host\":\"h1\"}");
        assertThat(vol.status()).as(vol.text()).isEqualTo(201);
        assertThat(vol.json().path("size_bytes").asLong()).as("the image's size by default").isEqualTo(64L << 20);
        assertThat(pool("h1").hasImage("base")).as("copied into the pool of the host that uses it").isTrue();
        assertThat(pool("h2").hasImage("base")).isFalse();
        refused(s.post("/api/v1/volumes", "{\"name\":\"v2\",\"image\":\"base\",\"size\":\"32M\"}"), 400,
                "size must be at least image base's 64 MiB, got 32 MiB");
        refused(s.delete("/api/v1/images/base"), 409, "image base is in use by volume v1");
        assertThat(s.get("/api/v1/images/base").json().path("used_by").get(0).asText()).isEqualTo("v1");
        assertThat(s.delete("/api/v1/volumes/v1").status()).isEqualTo(204);
        assertThat(s.delete("/api/v1/images/base").status()).isEqualTo(204);
        assertThat(pool("h1").hasImage("base")).isFalse();
        assertThat(data.resolve("images/base.qcow2")).doesNotExist();
    }

    @Test
    void vmsGetDisksFromImagesAndVolumesAndFollowTheirVolumesHost() throws Exception {
        assertThat(s.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"" + qcow2("b.qcow2") + "\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"data1\",\"size\":\"1G\",\"host\":\"h2\"}").status()).isEqualTo(201);

        var web = s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"image\":\"base\",\"disk_size\":\"2G\",\"disks\":[\"data1\"]}");
        assertThat(web.status()).as(web.text()).isEqualTo(202);
        assertThat(web.json().path("vm").path("host").asText()).as("a VM goes where its local volume is").isEqualTo("h2");
        var shown = s.await("/api/v1/vms/web", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        assertThat(shown.path("disks")).hasSize(2);
        assertThat(shown.path("disks").get(0).path("volume").asText()).isEqualTo("web-root");
        assertThat(shown.path("disks").get(0).path("size_bytes").asLong()).isEqualTo(2L << 30);
        assertThat(shown.path("disks").get(0).path("bus").asText()).isEqualTo("virtio");
        assertThat(shown.path("disks").get(1).path("volume").asText()).isEqualTo("data1");
        assertThat(pool("h2").volume("web-root")).map(Storage.VolumeInfo::image).contains("base");
        var root = s.get("/api/v1/volumes/web-root").json();
        assertThat(root.path("vm").asText()).isEqualTo("web");
        assertThat(root.path("delete_with_vm").asBoolean()).isTrue();

        refused(s.delete("/api/v1/volumes/data1"), 409, "volume data1 is attached to VM web; delete the VM or detach the volume first");

        refused(s.post("/api/v1/volumes/data1/resize", "{\"size\":\"4G\"}"), 409,
                "volume data1 is attached to VM web, which is not stopped; stop it first");
        refused(s.post("/api/v1/vms", "{\"name\":\"other\",\"memory\":\"64M\",\"disks\":[\"data1\"]}"), 409,
                "volume data1 is already attached to VM web");
        refused(s.post("/api/v1/vms", "{\"name\":\"pinned\",\"memory\":\"64M\",\"host\":\"h1\",\"disks\":[\"data2\"]}"), 404,
                "volume data2 not found");
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"data2\",\"size\":\"1G\",\"host\":\"h2\"}").status()).isEqualTo(201);
        refused(s.post("/api/v1/vms", "{\"name\":\"pinned\",\"memory\":\"64M\",\"host\":\"h1\",\"disks\":[\"data2\"]}"), 409,
                "volume data2 is on host h2, not on host h1");
        refused(s.post("/api/v1/vms", "{\"name\":\"big\",\"memory\":\"64M\",\"image\":\"base\",\"disk_size\":\"32M\"}"), 400,
                "disk_size must be at least image base's 64 MiB, got 32 MiB");
        refused(s.post("/api/v1/vms", "{\"name\":\"big\",\"memory\":\"64M\",\"disk_size\":\"1G\"}"), 400, "disk_size needs an image");
        assertThat(s.get("/api/v1/vms").json().findValuesAsText("name")).containsExactly("web");
        assertThat(pool("h1").volumes()).isEmpty();

        // a user's migration copies the disks along (block migration); the volumes follow the VM
        var migrate = s.post("/api/v1/vms/web/migrate", "{\"to\":\"h1\"}");
        assertThat(migrate.status()).as(migrate.text()).isEqualTo(202);
        s.awaitTask(migrate.json().path("id").asText());
        s.await("/api/v1/volumes/web-root", v -> v.path("host").asText().equals("h1"), Duration.ofSeconds(20));
        s.await("/api/v1/volumes/data1", v -> v.path("host").asText().equals("h1"), Duration.ofSeconds(20));
        assertThat(pool("h1").volume("web-root")).isPresent();
        assertThat(pool("h2").volume("web-root")).isEmpty();
        assertThat(s.get("/api/v1/volumes/data2").json().path("host").asText()).as("not attached: stays").isEqualTo("h2");

        assertThat(s.delete("/api/v1/vms/web").status()).isEqualTo(202);
        s.await("/api/v1/volumes", vs -> vs.size() == 2 && vs.findValuesAsText("name").equals(List.of("data1", "data2"))
                && vs.get(0).path("vm").isNull(), Duration.ofSeconds(20));
        assertThat(pool("h1").volume("web-root")).as("made with the VM, deleted with it").isEmpty();
        assertThat(pool("h1").volume("data1")).as("attached to it, kept").isPresent();
    }

    @Test
    void snapshotsFollowTheVmsPowerState() {
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"d\",\"size\":\"1G\",\"host\":\"h1\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"db\",\"memory\":\"64M\",\"disks\":[\"d\"]}").status()).isEqualTo(202);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"plain\",\"memory\":\"64M\"}").status()).isEqualTo(202);
        s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        s.await("/api/v1/vms/plain", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));

        var s1 = s.post("/api/v1/vms/db/snapshots", "{\"name\":\"s1\"}");
        assertThat(s1.status()).as(s1.text()).isEqualTo(201);
        assertThat(s1.json().path("running").asBoolean()).isTrue();
        refused(s.post("/api/v1/vms/db/snapshots", "{\"name\":\"s1\"}"), 409, "vm db already has a snapshot named s1");
        refused(s.post("/api/v1/vms/db/snapshots", "{\"name\":\"a/../b\"}"), 400,
                "snapshot name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'a/../b'");
        refused(s.post("/api/v1/vms/plain/snapshots", "{\"name\":\"s1\"}"), 409, "vm plain has no disks to snapshot");
        assertThat(s.get("/api/v1/vms/db/snapshots").json().findValuesAsText("name")).containsExactly("s1");
        assertThat(s.post("/api/v1/vms/db/snapshots/s1/revert", "").status()).isEqualTo(204);

        assertThat(s.post("/api/v1/vms/db/stop", "{\"force\":true}").status()).isEqualTo(202);
        s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("stopped"), Duration.ofSeconds(20));
        refused(s.post("/api/v1/vms/db/snapshots/s1/revert", ""), 409, "snapshot s1 was taken while vm db was running; start it first");
        refused(s.post("/api/v1/vms/db/snapshots/nope/revert", ""), 404, "vm db has no snapshot nope");
        assertThat(s.delete("/api/v1/vms/db/snapshots/s1").status()).isEqualTo(204);
        assertThat(s.get("/api/v1/vms/db/snapshots").json()).isEmpty();
    }

    @Test
    void aStoppedVmIsClonedWithFullCopiesOfItsDisksOnItsHost() {
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"d\",\"size\":\"3G\",\"host\":\"h2\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"src\",\"memory\":\"64M\",\"disks\":[\"d\"],\"labels\":{\"group\":\"g\"}}").status())
                .isEqualTo(202);
        s.await("/api/v1/vms/src", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        refused(s.post("/api/v1/vms/src/clone", "{\"name\":\"copy\"}"), 409, "vm src is running; it must be stopped to be cloned");
        assertThat(s.post("/api/v1/vms/src/stop", "{\"force\":true}").status()).isEqualTo(202);
        s.await("/api/v1/vms/src", v -> v.path("state").asText().equals("stopped"), Duration.ofSeconds(20));
        refused(s.post("/api/v1/vms/src/clone", "{\"name\":\"src\"}"), 409, "a VM named src already exists");
        refused(s.post("/api/v1/vms/src/clone", "{\"name\":\"../x\"}"), 400,
                "VM name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../x'");

        var clone = s.post("/api/v1/vms/src/clone", "{\"name\":\"copy\"}");
        assertThat(clone.status()).as(clone.text()).isEqualTo(202);
        assertThat(clone.json().path("host").asText()).isEqualTo("h2");
        assertThat(clone.json().path("volumes").get(0).asText()).isEqualTo("copy-root");
        var copy = s.await("/api/v1/vms/copy", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        assertThat(copy.path("disks").get(0).path("volume").asText()).isEqualTo("copy-root");
        assertThat(copy.path("disks").get(0).path("size_bytes").asLong()).isEqualTo(3L << 30);
        assertThat(copy.path("labels").has("group")).as("labels are not copied").isFalse();
        assertThat(pool("h2").volume("copy-root")).map(Storage.VolumeInfo::capacityBytes).contains(3L << 30);
        refused(s.post("/api/v1/vms/src/clone", "{\"name\":\"copy\"}"), 409, "a VM named copy already exists");
        assertThat(pool("h2").volumes()).extracting(Storage.VolumeInfo::name).containsExactlyInAnyOrder("d", "copy-root");
    }

    @Test
    void haStatusSaysAProtectedVmOnLocalDisksCannotBeRestartedElsewhere() {
        assertThat(s.post("/api/v1/volumes", "{\"name\":\"d\",\"size\":\"1G\",\"host\":\"h2\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"db\",\"memory\":\"64M\",\"disks\":[\"d\"],\"protection\":\"restart\"}").status())
                .isEqualTo(202);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\",\"protection\":\"restart\"}").status()).isEqualTo(202);
        s.await("/api/v1/vms/db", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        s.await("/api/v1/vms/web", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        var vms = s.get("/api/v1/ha/status").json().path("protected_vms");
        for (var v : vms) {
            if (v.path("name").asText().equals("db")) {
                assertThat(v.path("unprotected").asText())
                        .isEqualTo("its disks (d) are volumes in host h2's local pool: HA cannot restart it on another host");
            } else {
                assertThat(v.path("unprotected").isNull()).as("no disks: restartable anywhere").isTrue();
            }
        }
        assertThat(vms.findValuesAsText("name")).containsExactlyInAnyOrder("db", "web");
    }
}
