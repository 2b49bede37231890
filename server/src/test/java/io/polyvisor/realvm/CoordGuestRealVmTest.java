package io.polyvisor.realvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.libvirt.TinyGuest;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coordination from inside a real QEMU guest: Polyvisor hands the group member its URL and token as firmware
 * configuration entries, the tiny guest's init keeps them in /run/polyvisor (root only), and {@code pvctl} in the
 * guest reaches the guest API through QEMU's user-mode network. Commands run in the guest through qemu-guest-agent.
 */
class CoordGuestRealVmTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static TestServer api;
    static URI host;

    @BeforeAll
    static void start() {
        host = TestFleet.up(1).get(0);
        assertThat(TinyGuest.image().agent()).as("the tiny guest carries qemu-guest-agent (qemu-guest-agent's libraries on this machine)").isTrue();
        api = TestServer.start(data, 0);
        var r = api.post("/api/v1/hosts", "{\"uri\":\"" + host + "\",\"name\":\"h1\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    @Test
    void aGroupMemberUsesPvctlFromInsideTheGuestWithTheCredentialsItWasBootedWith() throws Exception {
        var img = TinyGuest.image();
        var created = api.post("/api/v1/vms", """
                {"name":"coord1","vcpus":1,"memory":"128M","host":"h1","labels":{"group":"app"},
                 "boot":{"kernel":"%s","initrd":"%s","cmdline":"%s"}}""".formatted(img.kernel(), img.initrd(), img.cmdline()));
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        api.await("/api/v1/tasks/" + created.json().path("task").path("id").asText(),
                t -> t.path("status").asText().equals("succeeded"), Duration.ofSeconds(60));
        awaitAgent("coord1", Duration.ofSeconds(90));

        assertThat(guest("coord1", "/bin/stat", "-c", "%a %u", "/run/polyvisor/coord-token").strip())
                .as("the token is root's alone").isEqualTo("600 0");
        assertThat(guest("coord1", "/bin/cat", "/run/polyvisor/coord-url").strip())
                .isEqualTo("http://10.0.2.2:" + api.server.url().getPort());

        JsonNode self = JSON.readTree(guest("coord1", "/usr/bin/pvctl", "self"));
        assertThat(self.path("name").asText()).isEqualTo("coord1");
        assertThat(self.path("group").asText()).isEqualTo("app");
        assertThat(self.path("host").asText()).isEqualTo("h1");

        guest("coord1", "/usr/bin/pvctl", "kv", "put", "members/coord1", "10.0.2.15:80", "--cas", "0");
        var kv = api.get("/api/v1/coord/app/kv/members/coord1");
        assertThat(kv.status()).as(kv.text()).isEqualTo(200);
        assertThat(kv.json().path("value").asText()).isEqualTo("10.0.2.15:80");

        JsonNode lease = JSON.readTree(guest("coord1", "/usr/bin/pvctl", "lease", "acquire", "leader", "60"));
        assertThat(lease.path("holder").asText()).isEqualTo("coord1");
        assertThat(api.get("/api/v1/coord/app/leases/leader").json().path("token").asLong()).isEqualTo(lease.path("token").asLong());

        // the instance holds the token it was defined with; the operator's re-mint revokes it
        assertThat(api.post("/api/v1/vms/coord1/coord-token", "").status()).isEqualTo(201);
        var refused = guestRun("coord1", "/usr/bin/pvctl", "self");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("wrong coordination token");

        var deleted = api.delete("/api/v1/vms/coord1");
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(202);
    }

    static String guest(String vm, String path, String... args) throws Exception {
        return new GuestAgent(host).run(vm, path, args);
    }

    static GuestAgent.Exec guestRun(String vm, String path, String... args) throws Exception {
        return new GuestAgent(host).exec(vm, path, args);
    }

    static void awaitAgent(String vm, Duration timeout) throws Exception {
        new GuestAgent(host).await(vm, timeout);
    }
}
