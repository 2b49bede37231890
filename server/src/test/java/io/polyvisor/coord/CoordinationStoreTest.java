package io.polyvisor.coord;

import io.polyvisor.coordination.KeyPath;
import io.polyvisor.coordination.Lease;
import io.polyvisor.coordination.LeaseRules;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Boot;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Coordination's transactions on both databases: embedded H2 and a real PostgreSQL (never skipped; start it with
 * {@code sudo scripts/postgres-up}, or point POLYVISOR_TEST_PG_URL, _USER, _PASSWORD elsewhere).
 */
class CoordinationStoreTest {
    static final String URL = env("POLYVISOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/polyvisor_test");
    static final String USER = env("POLYVISOR_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("POLYVISOR_TEST_PG_PASSWORD", "postgres");
    static final List<String> SCHEMAS = new ArrayList<>();

    @TempDir
    Path data;

    Store open(String db) throws Exception {
        if (db.equals("h2")) return Stores.embedded(data);
        String schema = "pv_coord_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        SCHEMAS.add(schema);
        return Stores.open(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
    }

    @AfterAll
    static void drop() throws Exception {
        try (var c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            for (String s : SCHEMAS) c.createStatement().execute("DROP SCHEMA " + s + " CASCADE");
        }
        SCHEMAS.clear();
    }

    private static final io.polyvisor.coordination.CoordGroup G = io.polyvisor.coordination.CoordGroup.ofKey("g");

    static Vm running(String name, String group, String host) {
        return new Vm(UUID.randomUUID(), name, new VmSpec(1, 64L << 20, new Boot.None(), null, List.of()), Map.of("group", group),
                null, null, PowerIntent.RUNNING, new VmState.Running(), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void concurrentCompareAndSetLosesNoUpdate(String db) throws Exception {
        try (Store store = open(db)) {
            var coord = new Coordination(store, new Journal(store), Clock.systemUTC());
            KeyPath key = new KeyPath("counter");
            coord.write(G, key, "0", 0L, null);
            int threads = 8, attempts = 40;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < attempts; i++) {
                        var cur = coord.get(G, key);
                        try {
                            coord.write(G, key, Long.toString(Long.parseLong(cur.value()) + 1), cur.revision(), null);
                            ok++;
                        } catch (Coordination.CasMismatch expected) {
                            // someone else wrote first: read again
                        }
                    }
                    return ok;
                }));
            }
            int successes = 0;
            for (Future<Integer> f : done) successes += f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            var last = coord.get(G, key);
            assertThat(Long.parseLong(last.value())).isEqualTo(successes);
            assertThat(last.revision()).isEqualTo(1L + successes);
            assertThat(store.coordRevision("g")).isEqualTo(1L + successes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void leaseTokensAreKeptAcrossReleasesFencedWritesAndRevocationsCompareTokens(String db) throws Exception {
        try (Store store = open(db)) {
            var coord = new Coordination(store, new Journal(store), Clock.systemUTC());
            Vm a = running("a", "g", "h1"), b = running("b", "g", "h2");
            assertThat(coord.acquire(G, "leader", a, 30).token()).isEqualTo(1);
            assertThat(coord.acquire(G, "leader", a, 30).token()).isEqualTo(1);
            assertThatThrownBy(() -> coord.acquire(G, "leader", b, 30)).isInstanceOf(Refusal.class);
            coord.release(G, "leader", a);
            assertThat(coord.acquire(G, "leader", b, 30).token()).isEqualTo(2);

            assertThatThrownBy(() -> coord.write(G, new KeyPath("x"), "v", null, new LeaseRules.Fence("leader", 1)))
                    .hasMessage("fencing token 1 of lease leader is stale: the lease is at token 2, held by b");
            assertThat(coord.write(G, new KeyPath("x"), "v", null, new LeaseRules.Fence("leader", 2)).revision()).isEqualTo(1);

            Lease held = store.lease("g", "leader").orElseThrow();
            coord.release(G, "leader", b);
            coord.acquire(G, "leader", a, 30);
            assertThat(coord.revoke(held, "test: a stale decision")).as("token 2 is gone; token 3 stays").isFalse();
            assertThat(store.lease("g", "leader").orElseThrow().holderName()).isEqualTo("a");
            assertThat(coord.revoke(store.lease("g", "leader").orElseThrow(), "test")).isTrue();
            assertThat(store.lease("g", "leader").orElseThrow().holder()).isNull();
            assertThat(coord.acquire(G, "leader", b, 30).token()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void concurrentPublishersGetEverySeqOfATopicOnceAndATopicKeepsItsNewest(String db) throws Exception {
        try (Store store = open(db)) {
            var coord = new Coordination(store, new Journal(store), Clock.systemUTC());
            var messages = new Messages(store, coord, Clock.systemUTC(), 110);
            var seqs = java.util.Collections.synchronizedList(new ArrayList<Long>());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            for (int t = 0; t < 6; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < 20; i++) seqs.add(messages.publish(G, "news", "vm" + thread, "m" + thread + "-" + i).seq());
                    return null;
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(seqs).hasSize(120).doesNotHaveDuplicates();
            assertThat(seqs.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(120);
            var read = messages.subscribe(G, "news", 0, 0, 100);
            assertThat(read.firstSeq()).as("120 published, the newest 110 kept").isEqualTo(11);
            assertThat(read.messages()).extracting(CoordViews.MessageView::seq).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(11, 110).boxed().toList());
            for (int i = 0; i < 10; i++) messages.publish(G, "news", null, "more");
            var tail = messages.subscribe(G, "news", 0, 0, 100);
            assertThat(tail.firstSeq()).as("130 published, the newest 110 kept").isEqualTo(21);
            assertThat(tail.messages().get(0).seq()).as("older messages were dropped").isEqualTo(21);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void tombstonesOlderThanKeepRevisionsAreRemovedAndWatchesFromBeforeThemAnswerAtOnce(String db) throws Exception {
        try (Store store = open(db)) {
            var coord = new Coordination(store, new Journal(store), Clock.systemUTC());
            var compactor = new TombstoneCompactor(store, coord, 3);
            KeyPath gone = new KeyPath("gone/a"), kept = new KeyPath("kept"), live = new KeyPath("live");
            coord.write(G, gone, "v", null, null);   // 1
            coord.write(G, live, "x", null, null);   // 2
            coord.write(G, gone, null, null, null);  // 3: its tombstone is 3 revisions old at 6
            coord.write(G, kept, "k", null, null);   // 4
            coord.write(G, kept, null, null, null);  // 5: within the last 3
            coord.write(G, live, "y", null, null);   // 6
            assertThat(compactor.pass()).isEqualTo(1);
            assertThat(store.kv("g", "gone/a")).isEmpty();
            assertThat(store.kv("g", "kept").orElseThrow().deleted()).isTrue();
            assertThat(store.kv("g", "live").orElseThrow().value()).isEqualTo("y");
            assertThat(store.coordCompacted("g")).isEqualTo(3);
            assertThat(compactor.pass()).as("nothing more to remove until the group moves on").isZero();

            // watched from before the compacted revision, the removed key answers at once: deleted, at that revision
            long t0 = System.nanoTime();
            assertThat(coord.watch(G, gone, 1, 10)).isEqualTo(new CoordViews.KvView("gone/a", null, 3, true));
            assertThat(coord.list(G, "gone/", 1L, 10).entries()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // from the compacted revision on, the same watch waits: nothing changed
            t0 = System.nanoTime();
            assertThat(coord.watch(G, gone, 3, 1)).isEqualTo(new CoordViews.KvView("gone/a", null, 0, true));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            // a tombstone still kept answers exactly; the removed key can be made again, as new
            assertThat(coord.watch(G, kept, 4, 10).revision()).isEqualTo(5);
            assertThat(coord.write(G, gone, "again", 0L, null).revision()).isEqualTo(7);
        }
    }
}
