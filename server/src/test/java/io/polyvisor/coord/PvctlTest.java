package io.polyvisor.coord;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest kit's {@code pvctl}, run here by the same busybox (and only busybox tools) the tiny guest has, against a
 * real server, with the credentials a guest would find in /run/polyvisor. What a shell script in a guest relies on:
 * the answers, the exit statuses, values that survive quoting.
 */
class PvctlTest {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path dir;
    TestServer s;
    Path script;
    Path bin;
    Path creds;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void setUp() throws IOException {
        assertThat(BUSYBOX).as("busybox-static is installed by scripts/libvirt-up").isExecutable();
        s = TestServer.start(dir.resolve("data"), 0);
        var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G\",\"name\":\"h1\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        var vm = s.post("/api/v1/vms", "{\"name\":\"db1\",\"memory\":\"64M\",\"labels\":{\"group\":\"db\"}}");
        assertThat(vm.status()).as(vm.text()).isEqualTo(202);
        s.awaitTask(vm.json().path("task").path("id").asText());
        String token = s.post("/api/v1/vms/db1/coord-token", "").json().path("token").asText();

        script = dir.resolve("pvctl");
        try (InputStream in = PvctlTest.class.getResourceAsStream("/io/polyvisor/image/pvctl")) {
            assertThat(in).as("pvctl in the guest kit").isNotNull();
            Files.write(script, in.readAllBytes());
        }
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sh", "nc", "awk", "sed", "wc", "head", "cat")) Files.createSymbolicLink(bin.resolve(tool), BUSYBOX);
        creds = Files.createDirectories(dir.resolve("run"));
        Files.writeString(creds.resolve("coord-url"), "http://127.0.0.1:" + s.server.url().getPort());
        Files.writeString(creds.resolve("coord-token"), token);
    }

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    Run pvctl(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of(BUSYBOX.toString(), "sh", script.toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("PVCTL_DIR", creds.toString());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("pvctl finished").isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void selfAndKeyValueWithCompareAndSetThroughTheGuestClient() throws Exception {
        var self = pvctl("self");
        assertThat(self.exit()).as(self.err()).isZero();
        assertThat(self.out()).contains("\"name\":\"db1\"", "\"group\":\"db\"");
        assertThat(pvctl("user-data").exit()).as("none set: 404").isEqualTo(1);
        assertThat(s.put("/api/v1/vms/db1/user-data", "{\"user_data\":\"role=primary\\nport=5432\"}").status()).isEqualTo(200);
        var userData = pvctl("user-data");
        assertThat(userData.exit()).as(userData.err()).isZero();
        assertThat(userData.out()).isEqualTo("role=primary\nport=5432\n");

        String tricky = "a \"quoted\" \\ value\twith tab, a literal \\n\nand a second line, ünïcode";
        var put = pvctl("kv", "put", "config/url", tricky, "--cas", "0");
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.out()).contains("\"revision\":1");
        assertThat(s.get("/api/v1/coord/db/kv/config/url").json().path("value").asText()).isEqualTo(tricky);
        var value = pvctl("kv", "get", "-v", "config/url");
        assertThat(value.exit()).as(value.err()).isZero();
        assertThat(value.out()).isEqualTo(tricky + "\n");

        var again = pvctl("kv", "put", "config/url", "other", "--cas", "0");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("\"status\":409");
        assertThat(s.get("/api/v1/coord/db/kv/config/url").json().path("value").asText()).isEqualTo(tricky);

        assertThat(pvctl("kv", "put", "config/port", "5432").exit()).isZero();
        var list = pvctl("kv", "list", "config/");
        assertThat(list.out()).contains("\"key\":\"config/url\"", "\"key\":\"config/port\"");
        var deleted = pvctl("kv", "delete", "config/port", "--cas", "2");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(pvctl("kv", "list", "config/").out()).doesNotContain("config/port");
    }

    @Test
    void leasesAndErrorsThroughTheGuestClient() throws Exception {
        var lease = pvctl("lease", "acquire", "leader", "30");
        assertThat(lease.exit()).as(lease.err()).isZero();
        assertThat(lease.out()).contains("\"holder\":\"db1\"", "\"token\":1");
        assertThat(s.get("/api/v1/coord/db/leases/leader").json().path("holder").asText()).isEqualTo("db1");
        var fenced = pvctl("kv", "put", "config/primary", "db1", "--fence", "leader:1");
        assertThat(fenced.exit()).as(fenced.err()).isZero();
        assertThat(pvctl("lease", "release", "leader").exit()).isZero();
        assertThat(s.get("/api/v1/coord/db/leases/leader").json().path("holder").isTextual()).isFalse();
        // the token is no longer held: a write fenced with it is refused, with the reason, and writes nothing
        var stale = pvctl("kv", "put", "config/primary", "late", "--cas", "1", "--fence", "leader:1");
        assertThat(stale.exit()).isEqualTo(1);
        assertThat(stale.err()).contains("\"status\":409", "fencing token 1 of lease leader is stale");
        assertThat(s.get("/api/v1/coord/db/kv/config/primary").json().path("value").asText()).isEqualTo("db1");
        assertThat(pvctl("kv", "put", "k", "v", "--fence", "leader:1%n").exit()).as("header injection").isEqualTo(2);

        var bad = pvctl("kv", "get", "../etc");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("\"status\":400");
        assertThat(pvctl("kv", "frobnicate").exit()).isEqualTo(2);

        var sent = pvctl("msg", "send", "news", "hello \"all\"");
        assertThat(sent.exit()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("\"seq\":1", "\"from\":\"db1\"");
        var read = pvctl("msg", "read", "news", "0");
        assertThat(read.out()).contains("\"body\":\"hello \\\"all\\\"\"", "\"last_seq\":1");

        var peers = pvctl("peers");
        assertThat(peers.exit()).as(peers.err()).isZero();
        assertThat(peers.out()).contains("\"group\":\"db\"", "\"name\":\"db1\"");
        var metric = pvctl("metric", "queue", "3");
        assertThat(metric.exit()).as("no elastic group db tracks it").isEqualTo(1);
        assertThat(metric.err()).contains("\"status\":404");

        Files.writeString(creds.resolve("coord-token"), "0".repeat(64));
        var refused = pvctl("self");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("wrong coordination token");
    }
}
