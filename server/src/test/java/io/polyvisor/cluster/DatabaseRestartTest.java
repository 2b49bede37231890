package io.polyvisor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two servers on a PostgreSQL of their own that crashes ({@code pg_ctl -m immediate}) and comes back on the same
 * folder and port (issue 15, "a database that restarts: clear errors, no double actions"). While it is down, the API
 * answers 503 problem+json with Retry-After, not an internal error; once it is back, without restarting either
 * server: both are members again, each host is owned exactly once, no host was declared unreachable or fenced and no
 * HA-protected VM was restarted or runs twice, a new create through one server runs once, and the other server's
 * live event stream delivers it (its LISTEN connection reconnected).
 */
class DatabaseRestartTest {
    @TempDir
    Path dir;

    @Test
    void serversRideOutACrashOfTheirDatabase() throws Exception {
        try (var pg = PrivatePostgres.start()) {
            var servers = new ArrayList<TestServer>();
            try {
                var a = start(servers, pg, "a");
                String dc = TestServer.uniqueDatacenter();
                for (int i = 1; i <= 4; i++) {
                    var r = a.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h" + i + "\"}");
                    assertThat(r.status()).as(r.text()).isEqualTo(201);
                }
                var b = start(servers, pg, "b");
                await().atMost(Duration.ofSeconds(15)).until(() -> ownedOnce(b, 4) && members(b) == 2);
                List<UUID> vms = new ArrayList<>();
                for (int i = 1; i <= 4; i++) {
                    var r = a.post("/api/v1/vms", "{\"name\":\"v" + i + "\",\"memory\":\"128M\",\"host\":\"h" + i
                            + "\",\"protection\":\"restart\"}");
                    assertThat(r.status()).as(r.text()).isEqualTo(202);
                    assertThat(a.awaitTask(r.json().path("task").path("id").asText()).path("status").asText()).isEqualTo("succeeded");
                    vms.add(UUID.fromString(r.json().path("vm").path("id").asText()));
                }
                long lastSeq = lastSeq(a);

                pg.crash();
                var down = a.get("/api/v1/vms");
                assertThat(down.status()).as(down.text()).isEqualTo(503);
                assertThat(down.contentType()).startsWith("application/problem+json");
                assertThat(down.detail()).isEqualTo("the database is unreachable (restarting or cut off); retry in a few seconds");
                Thread.sleep(3_000); // longer than a heartbeat round and the lease renewals: both servers see it down
                pg.up();

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> members(a) == 2 && members(b) == 2 && ownedOnce(a, 4) && ownedOnce(b, 4));
                var sim = SimDatacenter.named(dc);
                for (int i = 0; i < vms.size(); i++) {
                    assertThat(sim.runningOn(vms.get(i))).as("v" + (i + 1) + " runs once, where it ran").containsExactly("h" + (i + 1));
                }
                List<String> after = new ArrayList<>();
                a.get("/api/v1/events?after=" + lastSeq + "&limit=1000").json().forEach(e -> after.add(e.path("type").asText()));
                assertThat(after).as("events while and after the database was down")
                        .doesNotContain("host.unreachable", "host.fencing", "host.fenced", "vm.restarting", "vm.failover");

                // a's live stream, opened now, hears of a create made through b
                long before = lastSeq(a);
                try (var http = HttpClient.newHttpClient()) {
                    var heard = new CompletableFuture<String>();
                    var stream = http.sendAsync(a.request("/api/v1/events/stream?after=" + before).GET().build(),
                            HttpResponse.BodyHandlers.ofLines());
                    Thread.ofPlatform().daemon().start(() -> {
                        try (Stream<String> lines = stream.get(10, TimeUnit.SECONDS).body()) {
                            lines.filter(l -> l.startsWith("data: ") && l.contains("\"v5\"") && l.contains("task.succeeded"))
                                    .findFirst().ifPresent(heard::complete);
                        } catch (Exception e) {
                            heard.completeExceptionally(e);
                        }
                    });
                    var r = b.post("/api/v1/vms", "{\"name\":\"v5\",\"memory\":\"128M\",\"host\":\"h1\"}");
                    assertThat(r.status()).as(r.text()).isEqualTo(202);
                    JsonNode done = b.awaitTask(r.json().path("task").path("id").asText());
                    assertThat(done.path("status").asText()).isEqualTo("succeeded");
                    assertThat(done.path("attempts").asInt()).as("run exactly once").isEqualTo(1);
                    assertThat(heard.get(10, TimeUnit.SECONDS)).as("a's stream delivers b's event").contains("v5");
                    stream.cancel(true);
                }
            } finally {
                servers.forEach(s -> {
                    try {
                        s.close();
                    } catch (RuntimeException ignored) {
                        // closing after a failure
                    }
                });
            }
        }
    }

    private TestServer start(List<TestServer> servers, PrivatePostgres pg, String name) {
        var s = TestServer.start(ServerConfig.of(dir.resolve(name)).withPort(0).withTiming(TestServer.FAST)
                .withDatabase(pg.url(), "postgres", "").withServerName(name));
        servers.add(s);
        return s;
    }

    private static int members(TestServer s) {
        int alive = 0;
        for (JsonNode n : s.get("/api/v1/servers").json()) if (n.path("alive").asBoolean()) alive++;
        return alive;
    }

    /** Whether the live servers own {@code hosts} hosts, each exactly once. */
    private static boolean ownedOnce(TestServer s, int hosts) {
        Set<String> owned = new HashSet<>();
        int count = 0;
        for (JsonNode n : s.get("/api/v1/servers").json()) {
            if (!n.path("alive").asBoolean()) continue;
            for (JsonNode h : n.path("hosts_owned")) {
                owned.add(h.asText());
                count++;
            }
        }
        return owned.size() == hosts && count == hosts;
    }

    private static long lastSeq(TestServer s) {
        long last = 0;
        for (JsonNode e : s.get("/api/v1/events?after=0&limit=100000").json()) last = Math.max(last, e.path("seq").asLong());
        return last;
    }
}
