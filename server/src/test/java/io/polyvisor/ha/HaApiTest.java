package io.polyvisor.ha;

import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** HA through the real server and REST API, with simulated hosts on the real clock. */
class HaApiTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void admissionControlRefusesWhatBreaksTheSettingAndAHostFailureRestartsProtectedVms() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        for (int i = 1; i <= 3; i++) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h" + i + "?cpus=8&memory=4G\",\"name\":\"h" + i + "\"}").status()).isEqualTo(201);
        }
        var put = s.send(s.request("/api/v1/ha/settings").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"tolerate_host_failures\":1}")).build());
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("tolerate_host_failures").asInt()).isEqualTo(1);

        // 3 hosts of 4 GiB, tolerate 1 failure. First fit puts db1 and db2 on h1, db3 on h2: any one host may fail.
        // big (3 GiB) would go to h3; then if h1 failed, db1 and db2 (2 GiB each) would find room for only one.
        for (int i = 1; i <= 3; i++) {
            var r = s.post("/api/v1/vms", "{\"name\":\"db" + i + "\",\"vcpus\":1,\"memory\":\"2G\",\"protection\":\"restart\",\"priority\":" + (i + 2) + "}");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
        }
        var refused = s.post("/api/v1/vms", "{\"name\":\"big\",\"vcpus\":1,\"memory\":\"3G\",\"protection\":\"restart\"}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.detail()).isEqualTo("admission control: tolerating 1 host failure is not possible: if h1 failed,"
                + " 1 protected VM would find no host (db1)");
        assertThat(s.get("/api/v1/vms/big").status()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(20)).until(() -> s.get("/api/v1/vms").json().findValuesAsText("state").stream().allMatch("running"::equals));
        var status = s.get("/api/v1/ha/status").json();
        assertThat(status.path("admission").path("ok").asBoolean()).isTrue();
        assertThat(status.path("protected_vms").size()).isEqualTo(3);
        assertThat(status.path("hosts").get(0).path("health").asText()).isEqualTo("healthy");

        // HA judges a host by its heartbeats: the crash comes after every host has answered a probe
        await().atMost(Duration.ofSeconds(10)).until(() -> s.get("/api/v1/ha/status").json().path("hosts")
                .findValues("heartbeat_age_ms").stream().allMatch(n -> n.isNumber()));
        String victimHost = s.get("/api/v1/vms/db1").json().path("host").asText();
        SimDatacenter.named(dc).crashHost(victimHost);
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var vm = s.get("/api/v1/vms/db1").json();
                assertThat(vm.path("state").asText()).isEqualTo("running");
                assertThat(vm.path("host").asText()).isNotEqualTo(victimHost);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("db1 was not restarted elsewhere after " + victimHost + " crashed; events: "
                    + s.get("/api/v1/events?limit=100").text() + "\nHA status: " + s.get("/api/v1/ha/status").text()
                    + "\ntasks: " + s.get("/api/v1/tasks?limit=20").text() + "\nVMs: " + s.get("/api/v1/vms").text()
                    + "\nthreads:\n" + threads(), e);
        }
        var after = s.get("/api/v1/ha/status").json();
        assertThat(after.path("recent_failovers").get(0).path("host").asText()).isEqualTo(victimHost);
        assertThat(after.path("recent_failovers").get(0).path("declared_after_ms").asLong()).isBetween(500L, 2_000L);
        assertThat(after.path("hosts").findValuesAsText("health")).contains("healthy");
        assertThat(s.get("/api/v1/events?limit=500").text()).contains("host.unreachable", "host.fenced", "vm.restarting");
    }

    /** The threads of this JVM (virtual ones included) that HA's path runs on, with their stacks. */
    static String threads() {
        try {
            Path f = java.nio.file.Files.createTempFile("threads", ".txt");
            java.nio.file.Files.delete(f);
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpThreads(f.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            var out = new StringBuilder();
            for (String block : java.nio.file.Files.readString(f).split("\n\n")) {
                if (block.matches("(?s)#\\d+ \"(ha|ha-fence|task-|host-probe|host-monitor|probe-|lifecycle|ForkJoinPool|libvirt-call).*")) {
                    out.append(block, 0, Math.min(block.length(), 3_000)).append("\n\n");
                }
            }
            out.append("(").append(Thread.getAllStackTraces().size()).append(" platform threads in all)");
            return out.toString();
        } catch (Exception e) {
            return "no thread dump: " + e;
        }
    }

    @Test
    void aCrashedProtectedGuestIsForcedOffByTheTaskExecutorThenRestarted() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1\"}").status()).isEqualTo(201);
        var created = s.post("/api/v1/vms", "{\"name\":\"db\",\"memory\":\"64M\",\"protection\":\"restart\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        s.awaitTask(created.json().path("task").path("id").asText());
        var id = java.util.UUID.fromString(created.json().path("vm").path("id").asText());

        SimDatacenter.named(dc).vmCrash(id);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var tasks = s.get("/api/v1/tasks?limit=10").json().findValuesAsText("kind");
            assertThat(tasks).contains("fence", "restart");
            assertThat(s.get("/api/v1/vms/db").json().path("state").asText()).isEqualTo("running");
        });
        assertThat(SimDatacenter.named(dc).runningOn(id)).containsExactly("h1");
        assertThat(s.get("/api/v1/events?limit=500").json()).extracting(e -> e.path("type").asText() + " " + e.path("subject").asText())
                .containsSubsequence("vm.fenced db", "vm.restarting db");
    }
}
