package io.polyvisor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Several servers in one JVM on one real PostgreSQL (a fresh schema per test), sharing one simulated data centre:
 * membership, host split, the leader, takeover after a halt (as {@code kill -9}), and the same-name refusal.
 * Never skipped: fails with how to start PostgreSQL if it is not there.
 */
class ClusterTest {
    static final String URL = env("POLYVISOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/polyvisor_test");
    static final String USER = env("POLYVISOR_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("POLYVISOR_TEST_PG_PASSWORD", "postgres");

    @TempDir
    Path dir;
    private String schema;
    private final List<TestServer> servers = new ArrayList<>();

    @BeforeEach
    void schema() {
        schema = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void drop() {
        servers.forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // halted already
            }
        });
        sql("DROP SCHEMA " + schema + " CASCADE");
    }

    private ServerConfig config(String name) {
        String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return ServerConfig.of(dir.resolve(name)).withPort(0).withTiming(TestServer.FAST).withDatabase(url, USER, PASSWORD)
                .withServerName(name);
    }

    private TestServer start(String name) {
        var s = TestServer.start(config(name));
        servers.add(s);
        return s;
    }

    private static void addHosts(TestServer s, String dc, int n) {
        for (int i = 1; i <= n; i++) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h" + i + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
    }

    /** Hosts owned per live server, from {@code GET /api/v1/servers}. */
    private static List<JsonNode> live(TestServer s) {
        List<JsonNode> out = new ArrayList<>();
        s.get("/api/v1/servers").json().forEach(n -> {
            if (n.path("alive").asBoolean()) out.add(n);
        });
        return out;
    }

    private static Set<String> owned(TestServer s) {
        Set<String> all = new HashSet<>();
        live(s).forEach(n -> n.path("hosts_owned").forEach(h -> all.add(h.asText())));
        return all;
    }

    @Test
    void serversSplitTheHostsAndOneLeads() {
        var a = start("a");
        addHosts(a, TestServer.uniqueDatacenter(), 8);
        var b = start("b");
        var c = start("c");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var members = live(c);
            assertThat(members).extracting(n -> n.path("name").asText()).containsExactly("a", "b", "c");
            assertThat(members).allMatch(n -> !n.path("hosts_owned").isEmpty(), "every server owns hosts");
            assertThat(members).filteredOn(n -> n.path("role").asText().equals("leader")).hasSize(1);
            int total = members.stream().mapToInt(n -> n.path("hosts_owned").size()).sum();
            assertThat(total).as("each host owned exactly once").isEqualTo(8);
            assertThat(owned(c)).hasSize(8);
        });
        assertThat(live(a)).extracting(n -> n.path("address").asText())
                .containsExactlyInAnyOrder(a.server.url().toString(), b.server.url().toString(), c.server.url().toString());
    }

    @Test
    void aVmCreatedThroughOneServerIsSeenAndRunByTheOthers() {
        var a = start("a");
        String dc = TestServer.uniqueDatacenter();
        addHosts(a, dc, 4);
        var b = start("b");
        await().atMost(Duration.ofSeconds(10)).until(() -> live(b).stream().allMatch(n -> !n.path("hosts_owned").isEmpty()));
        List<String> tasks = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            var r = b.post("/api/v1/vms", "{\"name\":\"v" + i + "\",\"memory\":\"128M\",\"host\":\"h" + i + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            tasks.add(r.json().path("task").path("id").asText());
        }
        for (String t : tasks) {
            JsonNode done = a.awaitTask(t);
            assertThat(done.path("status").asText()).isEqualTo("succeeded");
            assertThat(done.path("attempts").asInt()).as("run exactly once").isEqualTo(1);
        }
        for (int i = 1; i <= 4; i++) {
            assertThat(a.get("/api/v1/vms/v" + i).json().path("state").asText()).isEqualTo("running");
        }
    }

    @Test
    void theHostsOfAHaltedServerAreTakenOverWithinFiveSecondsAndANewLeaderIsElected() {
        var a = start("a");
        addHosts(a, TestServer.uniqueDatacenter(), 6);
        var b = start("b");
        await().atMost(Duration.ofSeconds(10)).until(() -> live(b).size() == 2 && live(b).stream().allMatch(n -> !n.path("hosts_owned").isEmpty()));
        assertThat(live(b)).filteredOn(n -> n.path("role").asText().equals("leader")).extracting(n -> n.path("name").asText())
                .containsExactly("a");
        long t0 = System.nanoTime();
        a.server.halt(); // as kill -9: no lease is released
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            var members = live(b);
            assertThat(members).extracting(n -> n.path("name").asText()).containsExactly("b");
            assertThat(members.getFirst().path("hosts_owned")).hasSize(6);
            assertThat(members.getFirst().path("role").asText()).isEqualTo("leader");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aSecondServerWithTheSameNameIsRefusedWhileTheFirstLives() {
        start("a");
        var second = ServerConfig.of(dir.resolve("other")).withPort(0).withTiming(TestServer.FAST)
                .withDatabase(config("a").dbUrl(), USER, PASSWORD).withServerName("a");
        assertThatThrownBy(() -> TestServer.start(second)).isInstanceOf(ServerNameTaken.class)
                .hasMessageStartingWith("a server named a is already running (http://127.0.0.1:")
                .hasMessageEndingWith("give this one another name with --server-name");
    }

    @Test
    void aRestartOnTheSameDataFolderIsTheSameServerComingBack() {
        var a = start("a");
        a.server.halt();
        servers.remove(a);
        var again = start("a"); // at once: its heartbeat is still fresh, but it is this data folder's own
        assertThat(live(again)).extracting(n -> n.path("name").asText()).containsExactly("a");
        assertThat(live(again).getFirst().path("epoch").asLong()).isEqualTo(2);
    }

    /** Events of type {@code vm.state} about {@code vm}, as one server lists them. */
    private static List<String> stateEvents(TestServer s, String vm) {
        List<String> out = new ArrayList<>();
        s.get("/api/v1/events").json().forEach(e -> {
            if (e.path("type").asText().equals("vm.state") && e.path("subject").asText().equals(vm)) out.add(e.path("message").asText());
        });
        return out;
    }

    /**
     * The host monitor's writes are fenced by the host's lease: once another owner holds the lease at a newer epoch,
     * what this server still observes on the host (it trusts its lease for up to TTL - margin more) is refused by the
     * database. Control first: a crash on a host still owned is recorded.
     */
    @Test
    void whatAServerObservesOnAHostWhoseLeaseWasTakenIsNotRecorded() throws Exception {
        var a = start("a");
        String dc = TestServer.uniqueDatacenter();
        addHosts(a, dc, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> owned(a).size() == 2);
        for (int i = 1; i <= 2; i++) {
            var r = a.post("/api/v1/vms", "{\"name\":\"v" + i + "\",\"memory\":\"128M\",\"host\":\"h" + i + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(a.awaitTask(r.json().path("task").path("id").asText()).path("status").asText()).isEqualTo("succeeded");
        }
        var sim = io.polyvisor.sim.SimDatacenter.named(dc);
        UUID v1 = UUID.fromString(a.get("/api/v1/vms/v1").json().path("id").asText());
        UUID v2 = UUID.fromString(a.get("/api/v1/vms/v2").json().path("id").asText());
        int before = stateEvents(a, "v2").size();
        sim.vmCrash(v2);
        await().atMost(Duration.ofSeconds(5)).until(() -> stateEvents(a, "v2").size() > before);

        // another owner takes h1's lease (a newer epoch, for an hour); a still trusts its own for up to 2 s
        sql("UPDATE " + schema + ".cluster_leases SET owner = 'thief', epoch = epoch + 1,"
                + " expires = clock_timestamp() + interval '1 hour' WHERE name = 'host:h1'");
        int v1Events = stateEvents(a, "v1").size();
        sim.vmCrash(v1);
        Thread.sleep(3_000); // a's monitor polls h1 every 200 ms and hears its events until its trust ends
        assertThat(a.get("/api/v1/vms/v1").json().path("state").asText()).as("nothing recorded under the stale epoch").isEqualTo("running");
        assertThat(stateEvents(a, "v1")).hasSize(v1Events);
        assertThat(owned(a)).containsExactly("h2");
    }

    @Test
    void volumeCreatesThroughTwoServersNeverOverfillAProjectsDiskQuota() throws Exception {
        TestServer a = start("a"), b = start("b");
        String dc = TestServer.uniqueDatacenter();
        addHosts(a, dc, 2);
        // each volume takes 300 ms to make on its host: both servers' quota checks before it pass together unless the
        // check is made again with the insert, under the project row's lock
        for (String h : List.of("h1", "h2")) {
            io.polyvisor.sim.SimDatacenter.named(dc).delay(h, io.polyvisor.sim.Operation.STORAGE, java.time.Duration.ofMillis(300));
        }
        assertThat(a.post("/api/v1/projects", "{\"name\":\"red\",\"quota\":{\"disk_bytes\":" + (3L << 30) + "}}").status()).isEqualTo(201);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var answers = new ArrayList<java.util.concurrent.Future<Integer>>();
        for (int i = 0; i < 8; i++) {
            TestServer via = i % 2 == 0 ? a : b;
            String body = "{\"name\":\"v" + i + "\",\"size\":\"1G\",\"project\":\"red\"}";
            answers.add(pool.submit(() -> via.post("/api/v1/volumes", body).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var f : answers) statuses.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        pool.shutdown();
        assertThat(statuses).as("made or refused over quota").allMatch(c -> c == 201 || c == 422);
        long made = statuses.stream().filter(c -> c == 201).count();
        assertThat(made).as("3G of 1G volumes").isEqualTo(3);
        long bytes = 0;
        for (JsonNode v : a.get("/api/v1/volumes").json()) if (v.path("project").asText().equals("red")) bytes += v.path("size_bytes").asLong();
        assertThat(bytes).isEqualTo(3L << 30);
    }

    static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            c.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not usable at " + URL + " as " + USER + " (" + e.getMessage() + ")."
                    + " Start it with `sudo scripts/postgres-up`, or point POLYVISOR_TEST_PG_URL at another one.", e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
