package io.polyvisor.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.store.PostgresStoreTestAccess;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing the server answered 2xx is lost to {@code kill -9}, and no event seq is ever reused (issue 9, defect 1).
 * A real server process on simulated hosts (whose state outlives it in {@code DATA/sim-local.json}, as real
 * hypervisors outlive their control plane) runs concurrent clients creating and deleting VMs and an event-stream
 * client; it is SIGKILLed at a seeded random moment (counted from the round's first create answered 202) and
 * started again on the same data, {@value #ROUNDS} times per database. After each restart: every create answered
 * 202 exists unless its delete was answered too, every delete answered 202 is gone or going, every event the stream
 * delivered is stored with the same content, and then every VM converges exactly once: running, on its host, as the one domain with its UUID on the simulator,
 * with no task left unfinished and no domain without a VM. {@code -Dpolyvisor.seed=SEED} replays the kill times.
 */
class CrashLoopTest {
    static final int ROUNDS = 20;
    private static final int CLIENTS = 8;
    private static final int SIM_HOSTS = 3;
    private static final long CONVERGE_MS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kept when a round fails (server logs server-N.err, the data folder), removed when the loop passes. */
    private Path dir;

    @Test
    void h2() throws Exception {
        loop(null, null, null);
    }

    @Test
    void postgresql() throws Exception {
        String url = PostgresStoreTestAccess.url();
        String schema = "pv_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        try {
            loop(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password());
        } finally {
            sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private void loop(String dbUrl, String user, String password) throws Exception {
        long seed = Long.getLong(Property.SEED_PROPERTY, System.nanoTime());
        String db = dbUrl == null ? "H2" : "PostgreSQL";
        System.out.printf("CrashLoopTest %s seed %d (replay with -D%s=%d)%n", db, seed, Property.SEED_PROPERTY, seed);
        var random = new Random(seed);
        dir = Files.createDirectories(Path.of("target", "crash-loop", db + "-" + seed)).toAbsolutePath();
        Path data = dir.resolve("data");
        try (var http = HttpClient.newHttpClient()) {
            var workload = new CrashWorkload(http, CLIENTS);
            var events = new EventRecorder(http);
            ServerProcess server = ServerProcess.start(data, SIM_HOSTS, dbUrl, user, password, 0);
            try {
                awaitConverged(http, server, data, workload, "first start");
                for (int round = 1; round <= ROUNDS; round++) {
                    String where = db + " round " + round + " of seed " + seed;
                    long checkedUpTo = events.lastSeen();
                    int createsBefore = workload.acceptedCreates.size();
                    events.follow(server);
                    workload.start(server, round);
                    // the seeded moment counts from the round's first accepted create: a loaded machine may take
                    // longer than the whole kill window to answer the first request of a fresh server
                    awaitGrowth(workload.acceptedCreates, createsBefore, where);
                    Thread.sleep(150 + random.nextInt(1200));
                    server.kill();
                    workload.stop();
                    events.awaitEnd();

                    server = ServerProcess.start(data, SIM_HOSTS, dbUrl, user, password, round);
                    checkPromises(http, server, workload, where);
                    checkEvents(http, server, events, checkedUpTo, where);
                    awaitConverged(http, server, data, workload, where);
                }
            } finally {
                server.close();
            }
            System.out.printf("CrashLoopTest %s: %d rounds, %d creates and %d deletes answered 202, %d events seen, all kept%n",
                    db, ROUNDS, workload.acceptedCreates.size(), workload.acceptedDeletes.size(), events.seen.size());
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Waits until {@code accepted} holds more than {@code before} names: the clients got a create through. */
    private static void awaitGrowth(Set<String> accepted, int before, String where) throws InterruptedException {
        long deadline = System.currentTimeMillis() + CONVERGE_MS;
        while (accepted.size() <= before) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError(where + ": no create answered 202");
            Thread.sleep(10);
        }
    }

    /** Right after the restart: what was answered 202 before the kill is reflected. */
    private static void checkPromises(HttpClient http, ServerProcess server, CrashWorkload workload, String where) throws Exception {
        Map<String, JsonNode> vms = vmsByName(http, server);
        List<String> lost = new ArrayList<>();
        for (String name : workload.acceptedCreates) {
            if (!workload.askedDeletes.contains(name) && !vms.containsKey(name)) lost.add("create " + name);
        }
        for (String name : workload.acceptedDeletes) {
            JsonNode vm = vms.get(name);
            if (vm == null || vm.get("intent").asText().equals("deleted")) continue;
            // going: its delete task is there (it runs after what was queued before it)
            JsonNode tasks = JSON.readTree(ok(server.get(http, "/api/v1/tasks?vm=" + name + "&limit=1000")));
            boolean queued = false;
            for (JsonNode t : tasks) queued |= t.get("kind").asText().equals("delete");
            if (!queued) lost.add("delete " + name + " (intent " + vm.get("intent") + ", tasks " + tasks + ")");
        }
        assertThat(lost).as("%s: requests answered 202 before kill -9, not reflected after restart", where).isEmpty();
    }

    /** Every event the stream delivered before the kill is stored under the same seq with the same content. */
    private static void checkEvents(HttpClient http, ServerProcess server, EventRecorder events, long after, String where)
            throws Exception {
        Map<Long, JsonNode> stored = new HashMap<>();
        long last = events.lastSeen();
        for (long from = after; from < last; ) {
            JsonNode page = JSON.readTree(ok(server.get(http, "/api/v1/events?after=" + from + "&limit=1000")));
            if (page.isEmpty()) break;
            for (JsonNode e : page) stored.put(e.get("seq").asLong(), e);
            from = page.get(page.size() - 1).get("seq").asLong();
        }
        List<String> reused = new ArrayList<>();
        events.seen.forEach((seq, seen) -> {
            if (seq > after && !seen.equals(stored.get(seq))) reused.add("seq " + seq + ": streamed " + seen + ", stored " + stored.get(seq));
        });
        assertThat(reused).as("%s: events streamed before kill -9 that are gone or different after restart", where).isEmpty();
    }

    /**
     * Waits until every VM is running on its host as exactly one simulator domain, no task is unfinished, every
     * accepted delete is done and every host is connected; fails with the last difference after {@value #CONVERGE_MS} ms.
     */
    private static void awaitConverged(HttpClient http, ServerProcess server, Path data, CrashWorkload workload, String where)
            throws Exception {
        long deadline = System.currentTimeMillis() + CONVERGE_MS;
        String difference;
        int stalls = 0;
        do {
            try {
                difference = difference(http, server, data, workload);
            } catch (java.net.http.HttpTimeoutException e) {
                // a slow answer breaks no promise this test checks; it is kept for study, and polling goes on
                Path folder = Files.createDirectories(Path.of("target", "crash-loop-stalls"));
                String dump = server.threadDump(folder.resolve(System.currentTimeMillis() + ".threads").toAbsolutePath());
                difference = "a request was not answered in 20 s (server threads: " + dump + ")";
                System.out.printf("CrashLoopTest %s: %s%n", where, difference);
                stalls++;
            }
            if (difference == null) return;
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline && server.alive());
        throw new AssertionError(where + ": not converged after restart (" + stalls + " requests unanswered in 20 s): "
                + difference + "\nserver errors:\n" + server.errors());
    }

    /** What is not yet as it should be, or null. */
    private static String difference(HttpClient http, ServerProcess server, Path data, CrashWorkload workload) throws Exception {
        for (JsonNode h : JSON.readTree(ok(server.get(http, "/api/v1/hosts")))) {
            if (!h.get("state").asText().equals("connected")) return "host " + h.get("name") + " is " + h.get("state");
        }
        for (String status : List.of("queued", "running")) {
            JsonNode tasks = JSON.readTree(ok(server.get(http, "/api/v1/tasks?status=" + status + "&limit=1")));
            if (!tasks.isEmpty()) return "a task is " + status + ": " + tasks.get(0);
        }
        Map<String, JsonNode> vms = vmsByName(http, server);
        for (String name : workload.acceptedDeletes) if (vms.containsKey(name)) return "deleted vm " + name + " still exists";
        Map<String, List<String>> domains = simDomains(data);
        Set<String> ids = new HashSet<>();
        for (JsonNode vm : vms.values()) {
            String id = vm.get("id").asText();
            ids.add(id);
            if (!vm.get("state").asText().equals("running")) return "vm " + vm.get("name") + " is " + vm.get("state");
            var where = domains.getOrDefault(id, List.of());
            if (!where.equals(List.of(vm.get("host").asText() + ":RUNNING"))) {
                return "vm " + vm.get("name") + " on " + vm.get("host") + " has simulator domains " + where;
            }
        }
        for (var d : domains.entrySet()) if (!ids.contains(d.getKey())) return "domain " + d + " has no VM";
        return null;
    }

    /** Domain UUID to its instances ({@code HOST:POWER-STATE}) in the simulator's state file. */
    private static Map<String, List<String>> simDomains(Path data) throws Exception {
        Map<String, List<String>> domains = new HashMap<>();
        JsonNode saved = JSON.readTree(Files.readString(data.resolve(PolyvisorServer.SIM_STATE_FILE)));
        for (JsonNode host : saved.get("hosts")) {
            for (JsonNode vm : host.get("vms")) {
                domains.computeIfAbsent(vm.get("id").asText(), k -> new ArrayList<>())
                        .add(host.get("name").asText() + ":" + vm.get("state").asText());
            }
        }
        return domains;
    }

    private static Map<String, JsonNode> vmsByName(HttpClient http, ServerProcess server) throws Exception {
        Map<String, JsonNode> vms = new HashMap<>();
        for (JsonNode vm : JSON.readTree(ok(server.get(http, "/api/v1/vms")))) vms.put(vm.get("name").asText(), vm);
        return vms;
    }

    private static String ok(java.net.http.HttpResponse<String> r) {
        if (r.statusCode() != 200) throw new AssertionError(r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    private static void sql(String statement) throws SQLException {
        try (var c = DriverManager.getConnection(PostgresStoreTestAccess.url(), PostgresStoreTestAccess.user(),
                PostgresStoreTestAccess.password())) {
            c.createStatement().execute(statement);
        }
    }
}
