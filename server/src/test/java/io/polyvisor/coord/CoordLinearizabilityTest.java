package io.polyvisor.coord;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.linearizability.Checker;
import io.polyvisor.linearizability.Operation;
import io.polyvisor.linearizability.Verdict;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jepsen-style: {@link #CLIENTS} guests of one group (sim VMs, protected, each a client thread with the token its
 * instance was handed) do compare-and-set writes and reads on a few keys, and acquire, release and fenced writes on one
 * lease, for {@link #RUN} while a nemesis crashes the lease holder's host, partitions hosts and heals them. Every
 * answer is recorded with call and return times; lease revocations come from the journal. The history is then
 * checked for linearizability against {@link CoordModel} by the Wing-Gong-Lowe checker (core's test jar).
 *
 * <p>The seed (printed; set {@code -Dpolyvisor.jepsen.seed=N} to rerun it) fixes each client's and the nemesis's
 * choices; thread timing is not reproducible, so a rerun makes the same choices against a different interleaving.
 */
class CoordLinearizabilityTest {
    static final int CLIENTS = 10, HOSTS = 4;
    static final Duration RUN = Duration.ofSeconds(20);
    static final List<String> KEYS = List.of("k1", "k2", "k3");
    static final String LEASE = "leader";

    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void concurrentGuestsStayLinearizableThroughHostCrashesAndPartitions() throws Exception {
        long seed = Long.getLong("polyvisor.jepsen.seed", new Random().nextLong());
        System.out.println("CoordLinearizabilityTest seed " + seed + " (rerun with -Dpolyvisor.jepsen.seed=" + seed + ")");
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        for (int h = 1; h <= HOSTS; h++) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h" + h + "?cpus=16&memory=16G\",\"name\":\"h" + h + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
        var sim = SimDatacenter.named(dc);
        var guests = new ArrayList<JepsenGuest>();
        for (int i = 1; i <= CLIENTS; i++) {
            var r = s.post("/api/v1/vms", "{\"name\":\"g" + i + "\",\"memory\":\"64M\",\"labels\":{\"group\":\"jp\"},\"protection\":\"restart\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            s.awaitTask(r.json().path("task").path("id").asText());
        }
        long t0 = System.nanoTime();
        Instant wall0 = Instant.now();
        long end = t0 + RUN.toNanos();
        for (int i = 1; i <= CLIENTS; i++) guests.add(new JepsenGuest(s, sim, "g" + i, i, new Random(seed * 31 + i), end));
        var threads = guests.stream().map(g -> Thread.ofPlatform().name(g.name()).start(g)).toList();
        var nemesis = new JepsenNemesis(s, sim, HOSTS, new Random(seed), end);
        nemesis.run();
        for (var t : threads) t.join(Duration.ofSeconds(60));
        assertThat(threads).noneMatch(Thread::isAlive);

        List<Operation<CoordModel.In, CoordModel.Out>> history = new ArrayList<>();
        for (var g : guests) history.addAll(g.history());
        int revocations = 0;
        for (JsonNode e : events()) {
            if (!e.path("type").asText().equals("lease.revoked") || !e.path("subject").asText().equals("jp/" + LEASE)) continue;
            var m = java.util.regex.Pattern.compile("revoked from (\\S+) \\(token (\\d+)\\)").matcher(e.path("message").asText());
            assertThat(m.find()).as(e.toString()).isTrue();
            long at = t0 + Duration.between(wall0, Instant.parse(e.path("at").asText())).toNanos() - Duration.ofMillis(100).toNanos();
            history.add(new Operation<>(-1, new CoordModel.Revoke(LEASE, m.group(1), Long.parseLong(m.group(2))), at,
                    new CoordModel.Done(), Operation.NEVER));
            revocations++;
        }
        long granted = history.stream().filter(o -> o.output() instanceof CoordModel.Granted).map(o -> ((CoordModel.Acquire) o.input()).vm()).distinct().count();
        long casOk = history.stream().filter(o -> o.input() instanceof CoordModel.Cas && o.output() instanceof CoordModel.Written).count();
        long casRefused = history.stream().filter(o -> o.output() instanceof CoordModel.CasRefused).count();
        long fencedRefused = history.stream().filter(o -> o.output() instanceof CoordModel.Refused).count();
        long deleted = history.stream().filter(o -> o.input() instanceof CoordModel.Delete && o.output() instanceof CoordModel.Written).count();
        System.out.printf("CoordLinearizabilityTest seed %d: %d operations, faults %s, %d revocations, %d holders, CAS %d written / %d refused, "
                + "%d deletes, %d fenced writes refused%n", seed, history.size(), nemesis.faults(), revocations, granted, casOk, casRefused, deleted, fencedRefused);

        // the run must have exercised what it claims to check
        assertThat(history).as("operations recorded").hasSizeGreaterThan(300);
        assertThat(nemesis.faults()).as("faults injected").hasSizeGreaterThanOrEqualTo(3);
        assertThat(revocations).as("lease revocations by HA (seed %d)", seed).isPositive();
        assertThat(granted).as("distinct lease holders").isGreaterThanOrEqualTo(2);
        assertThat(casOk).isPositive();
        assertThat(casRefused).isPositive();
        assertThat(deleted).as("keys deleted with compare-and-set").isPositive();

        long c0 = System.nanoTime();
        Verdict v = Checker.check(new CoordModel(), history, Duration.ofSeconds(60));
        System.out.printf("CoordLinearizabilityTest seed %d: %s in %d ms%n", seed, v.getClass().getSimpleName(), (System.nanoTime() - c0) / 1_000_000);
        assertThat(v).as("seed %d: %s", seed, summary(v)).isInstanceOf(Verdict.Linearizable.class);
    }

    /** The verdict, with at most the first 40 operations of a part that failed (the whole part can be thousands). */
    static String summary(Verdict v) {
        if (!(v instanceof Verdict.NotLinearizable n)) return v.toString();
        var ops = n.operations();
        return "part " + n.partition() + " is not linearizable (" + ops.size() + " operations); the first: "
                + String.join("\n  ", ops.subList(0, Math.min(40, ops.size())).stream().map(Object::toString).toList());
    }

    /** Every event of the journal, oldest first, a page at a time. */
    List<JsonNode> events() {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            var page = s.get("/api/v1/events?limit=1000&after=" + after);
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            if (page.json().isEmpty()) return all;
            page.json().forEach(all::add);
            after = all.getLast().path("seq").asLong();
        }
    }
}
