package io.polyvisor.ha;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VM and its hot standby never share a host, through the real server and REST API on simulated hosts: a manual
 * migration or a maintenance that would put them together is refused (409 problem+json naming the VM, its standby and
 * the host); with one host left the VM is shown unprotected with an event, and protected again once a host is added.
 */
class StandbyApartApiTest {
    static final String APART = "; a VM and its standby never share a host";
    @TempDir
    Path data;
    TestServer s;
    String dc;

    @BeforeAll
    static void fastBalancer() {
        System.setProperty("polyvisor.balance.interval-seconds", "0.3"); // maintenance evacuation runs within a second
    }

    @AfterAll
    static void defaultBalancer() {
        System.clearProperty("polyvisor.balance.interval-seconds");
    }

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    void start(int hosts) {
        s = TestServer.start(data, 0);
        dc = TestServer.uniqueDatacenter();
        for (int i = 1; i <= hosts; i++) addHost("h" + i);
    }

    void addHost(String name) {
        var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + name + "?cpus=8&memory=4G\",\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    /** Creates web2 with a hot standby and waits until both run; returns the VM with its {@code ha} field. */
    JsonNode pair() {
        var r = s.post("/api/v1/vms", "{\"name\":\"web2\",\"memory\":\"128M\",\"protection\":\"standby\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return s.await("/api/v1/vms/web2", j -> j.path("state").asText().equals("running")
                && j.at("/ha/standby/state").asText().equals("running"), Duration.ofSeconds(20));
    }

    static void assertConflict(TestServer.Response r, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).isEqualTo(detail);
    }

    @Test
    void migratingAVmOntoItsStandbysHostOrBackIsRefused() {
        start(3);
        var web = pair();
        String primary = web.path("host").asText(), standby = web.at("/ha/standby/host").asText();
        String third = Stream.of("h1", "h2", "h3").filter(h -> !h.equals(primary) && !h.equals(standby)).findFirst().orElseThrow();

        assertConflict(s.post("/api/v1/vms/web2/migrate", "{\"to\":\"" + standby + "\"}"),
                "host " + standby + " cannot run web2: host " + standby + " runs web2-standby, the standby of web2" + APART);
        assertConflict(s.post("/api/v1/vms/web2-standby/migrate", "{\"to\":\"" + primary + "\"}"),
                "host " + primary + " cannot run web2-standby: host " + primary + " runs web2, whose standby is web2-standby" + APART);
        assertThat(s.get("/api/v1/tasks?limit=20").json().findValuesAsText("kind")).doesNotContain("migrate");

        var moved = s.post("/api/v1/vms/web2/migrate", "{\"to\":\"" + third + "\"}");
        assertThat(moved.status()).as(moved.text()).isEqualTo(202);
        s.awaitTask(moved.json().path("id").asText());
        var status = s.get("/api/v1/ha/status").json().path("protected_vms").get(0);
        assertThat(status.path("host").asText()).isEqualTo(third);
        assertThat(status.at("/standby/host").asText()).isEqualTo(standby);
        assertThat(status.path("unprotected").isNull()).isTrue();
    }

    @Test
    void maintenanceThatLeavesAPairNowhereToGoIsRefusedAndWithAThirdHostEvacuatesElsewhere() {
        start(2);
        var web = pair();
        String primary = web.path("host").asText(), standby = web.at("/ha/standby/host").asText();

        assertConflict(s.post("/api/v1/hosts/" + primary + "/maintenance", "{\"enabled\":true}"),
                "host " + primary + " cannot enter maintenance: web2 would have nowhere to go: standby-apart: host " + standby
                        + " runs web2-standby, the standby of web2" + APART);
        assertConflict(s.post("/api/v1/hosts/" + standby + "/maintenance", "{\"enabled\":true}"),
                "host " + standby + " cannot enter maintenance: web2-standby would have nowhere to go: standby-apart: host " + primary
                        + " runs web2, whose standby is web2-standby" + APART);
        assertThat(s.get("/api/v1/hosts").json().findValuesAsText("state")).containsOnly("connected");

        addHost("h3");
        var on = s.post("/api/v1/hosts/" + primary + "/maintenance", "{\"enabled\":true}");
        assertThat(on.status()).as(on.text()).isEqualTo(200);
        var after = s.await("/api/v1/vms/web2", j -> j.path("host").asText().equals("h3") && j.path("state").asText().equals("running"),
                Duration.ofSeconds(20));
        assertThat(after.at("/ha/standby/host").asText()).isEqualTo(standby);
    }

    @Test
    void withOneHostLeftTheVmIsShownUnprotectedWithAnEventAndIsProtectedAgainWhenAHostIsAdded() {
        start(2);
        var web = pair();
        String standby = web.at("/ha/standby/host").asText();
        SimDatacenter.named(dc).crashHost(standby);

        var unprotected = s.await("/api/v1/ha/status", j -> j.path("protected_vms").get(0).path("unprotected").asText("")
                .contains("standby-apart excluded 1 host"), Duration.ofSeconds(20)).path("protected_vms").get(0);
        assertThat(unprotected.path("unprotected").asText()).isEqualTo("its standby web2-standby is "
                + unprotected.at("/standby/state").asText() + " on host " + standby
                + " and no host can run web2-standby: host-state excluded 1 host, standby-apart excluded 1 host"
                        .replace("and no host can run", "and no host can take it: no host can run"));
        assertThat(s.get("/api/v1/vms/web2").json().at("/ha/unprotected").asText()).isEqualTo(unprotected.path("unprotected").asText());
        assertThat(events()).anyMatch(e -> e.startsWith("vm.unprotected web2: web2 is unprotected: "));

        addHost("h3");
        var back = s.await("/api/v1/ha/status", j -> j.path("protected_vms").get(0).path("unprotected").isNull(), Duration.ofSeconds(20))
                .path("protected_vms").get(0);
        assertThat(back.at("/standby/host").asText()).isEqualTo("h3");
        assertThat(back.at("/standby/state").asText()).isEqualTo("running");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(events()).contains("vm.protected web2: web2 is protected again: its standby web2-standby runs on host h3"));
    }

    List<String> events() {
        var out = new java.util.ArrayList<String>();
        for (var e : s.get("/api/v1/events?limit=500").json()) {
            out.add(e.path("type").asText() + " " + e.path("subject").asText() + ": " + e.path("message").asText());
        }
        return out;
    }
}
