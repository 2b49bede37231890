package io.polyvisor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor volume|image|vm snapshot ...} and {@code vm create --image/--disk} against a real in-process server on sim hosts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageCliTest {
    RunningServer server;
    Path files;

    @BeforeAll
    void start(@TempDir Path data, @TempDir Path files) {
        this.files = files;
        server = PolyvisorServer.start(ServerConfig.of(data).withPort(0).withTiming(TestServer.FAST));
        var added = cli("host", "add", "sim://" + TestServer.uniqueDatacenter() + "/h1", "--name", "h1");
        assertThat(added.exit()).as(added.err()).isZero();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    CliRun cli(String... args) {
        return ServerCli.run(server, args);
    }

    void fails(CliRun r, int exit, String error) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(exit);
        assertThat(r.err()).contains("error: " + error);
    }

    @Test
    void volumesImagesDisksAndSnapshotsFromTheCommandLine() throws Exception {
        fails(cli("volume", "create", "../x", "--size", "1G"), 2,
                "volume name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../x'");
        fails(cli("volume", "create", "v", "--size", "0"), 2, "size must be between 1 MiB and 16 TiB, got 0");
        fails(cli("volume", "create", "v", "--size", "20T"), 2, "size must be between 1 MiB and 16 TiB, got 20 TiB");
        var made = cli("volume", "create", "v", "--size", "1G", "--host", "h1");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("v", "h1", "1 GiB");
        fails(cli("volume", "resize", "v", "512M"), 1, "volume v is 1 GiB; shrinking is refused (asked 512 MiB)");
        assertThat(cli("volume", "resize", "v", "2G").out()).contains("2 GiB");

        Path raw = files.resolve("raw.img");
        Files.write(raw, new byte[1 << 20]);
        var wrongFormat = cli("image", "import", "bad", "--file", raw.toString(), "--format", "qcow2");
        assertThat(wrongFormat.exit()).isNotZero();
        assertThat(wrongFormat.err()).contains("error: image bad was declared qcow2 but the file is raw");
        Path qcow2 = files.resolve("base.qcow2");
        var p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", qcow2.toString(), "32M").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        var imported = cli("image", "import", "base", "--file", qcow2.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(cli("image", "list").out()).contains("base", "qcow2", "32 MiB");

        var vm = cli("vm", "create", "web", "--vcpus", "1", "--memory", "64M", "--image", "base", "--disk-size", "1G", "--disk", "v");
        assertThat(vm.exit()).as(vm.err()).isZero();
        var shown = new ObjectMapper().readTree(cli("-o", "json", "vm", "show", "web").out());
        assertThat(shown.path("disks").findValuesAsText("volume")).containsExactly("web-root", "v");
        assertThat(shown.path("disks").get(0).path("size_bytes").asLong()).isEqualTo(1L << 30);
        assertThat(shown.path("disks").get(0).path("bus").asText()).isEqualTo("virtio");
        assertThat(cli("volume", "list").out()).contains("web-root", "base", "web");
        assertThat(cli("image", "list").out()).containsPattern("base +qcow2 +32 MiB +web-root");
        assertThat(cli("image", "show", "base").out()).contains("web-root");
        fails(cli("volume", "delete", "v"), 1, "volume v is attached to VM web; delete the VM or detach the volume first");
        fails(cli("image", "delete", "base"), 1, "image base is in use by volume web-root");

        assertThat(cli("vm", "snapshot", "create", "web", "s1").out()).contains("s1", "running (memory saved)");
        assertThat(cli("vm", "snapshot", "list", "web").out()).contains("s1");
        assertThat(cli("vm", "snapshot", "revert", "web", "s1").out()).contains("web reverted to snapshot s1");
        fails(cli("vm", "snapshot", "revert", "web", "s9"), 1, "vm web has no snapshot s9");
        assertThat(cli("vm", "snapshot", "delete", "web", "s1").exit()).isZero();

        fails(cli("vm", "clone", "web", "web2"), 1, "vm web is running; it must be stopped to be cloned");
        assertThat(cli("vm", "stop", "web", "--force").exit()).isZero();
        var cloned = cli("vm", "clone", "web", "web2", "--no-start");
        assertThat(cloned.exit()).as(cloned.err()).isZero();
        assertThat(cloned.out()).contains("vm web2 cloned from web on host h1 (volumes web2-root, web2-disk1)");
        assertThat(cli("volume", "list").out()).contains("web2-root", "web2-disk1");

        assertThat(cli("vm", "delete", "web").exit()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cli("volume", "show", "web-root").exit() == 0 && System.nanoTime() < deadline) Thread.sleep(100);
        fails(cli("volume", "show", "web-root"), 1, "volume web-root not found");
        assertThat(cli("volume", "delete", "v").exit()).isZero();
        assertThat(cli("image", "delete", "base").out()).contains("image base deleted");
    }

    @Test
    void templatesAndLinkedClonesFromTheCommandLine() throws Exception {
        assertThat(cli("volume", "create", "tv", "--size", "1G", "--host", "h1").exit()).isZero();
        var src = cli("vm", "create", "tsrc", "--vcpus", "1", "--memory", "64M", "--disk", "tv", "--no-start");
        assertThat(src.exit()).as(src.err()).isZero();
        fails(cli("vm", "template", "tsrc", "../t"), 2,
                "template name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../t'");
        var made = cli("vm", "template", "tsrc", "gold");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("gold", "h1", "tsrc", "1 GiB");
        fails(cli("vm", "template", "tsrc", "gold"), 1, "an image named gold already exists (a template's disk is an image of its name)");

        var linked = cli("vm", "clone", "gold", "l1", "--linked", "--no-start");
        assertThat(linked.exit()).as(linked.err()).isZero();
        assertThat(linked.out()).contains("vm l1 linked-cloned from template gold on host h1 (volumes l1-root)");
        fails(cli("vm", "clone", "nope", "l2", "--linked"), 1, "template nope not found");
        assertThat(cli("template", "list").out()).contains("PROJECT", "gold", "default", "h1", "tsrc");
        // --project: a template of another project (the admin has every project), and a linked clone in it
        assertThat(cli("project", "create", "red").exit()).isZero();
        var red = cli("vm", "template", "tsrc", "redgold", "--project", "red", "-o", "json");
        assertThat(red.exit()).as(red.err()).isZero();
        assertThat(red.out()).contains("\"project\" : \"red\"");
        fails(cli("vm", "clone", "tsrc", "l9", "--project", "red"), 2, "--project needs --linked (a full clone is in its source's project)");
        var redClone = cli("vm", "clone", "redgold", "lr", "--linked", "--no-start", "--project", "red");
        assertThat(redClone.exit()).as(redClone.err()).isZero();
        assertThat(cli("vm", "list", "--project", "red").out()).contains("lr");
        assertThat(cli("template", "show", "gold", "-o", "json").out()).contains("\"used_by\" : [ \"l1-root\" ]");
        fails(cli("template", "delete", "gold"), 1, "image gold is in use by volume l1-root");

        assertThat(cli("vm", "delete", "l1").exit()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cli("volume", "show", "l1-root").exit() == 0 && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(cli("template", "delete", "gold").out()).contains("template gold deleted");
        fails(cli("template", "show", "gold"), 1, "template gold not found");
        assertThat(cli("vm", "delete", "tsrc").exit()).isZero();
    }

    @Test
    void disksAreAttachedAndDetachedFromTheCommandLine() {
        assertThat(cli("volume", "create", "hr", "--size", "1G", "--host", "h1").exit()).isZero();
        assertThat(cli("volume", "create", "hd", "--size", "2G", "--host", "h1").exit()).isZero();
        var vm = cli("vm", "create", "hot", "--vcpus", "1", "--memory", "64M", "--disk", "hr");
        assertThat(vm.exit()).as(vm.err()).isZero();
        var attached = cli("vm", "attach-disk", "hot", "hd");
        assertThat(attached.exit()).as(attached.err()).isZero();
        assertThat(attached.out()).contains("volume hd attached to vm hot", "hr", "hd", "2 GiB");
        fails(cli("vm", "attach-disk", "hot", "../hd"), 2,
                "volume name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../hd'");
        fails(cli("vm", "detach-disk", "hot", "hr"), 1, "volume hr is vm hot's first disk (vda); only its other disks can be detached");
        var detached = cli("vm", "detach-disk", "hot", "hd");
        assertThat(detached.exit()).as(detached.err()).isZero();
        assertThat(detached.out()).contains("volume hd detached from vm hot");
        assertThat(cli("volume", "delete", "hd").exit()).isZero();
        assertThat(cli("vm", "delete", "hot").exit()).isZero();
    }
}
