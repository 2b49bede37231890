package io.polyvisor.cluster;

import io.polyvisor.leases.Member;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.polyvisor.cluster.ClusterTest.PASSWORD;
import static io.polyvisor.cluster.ClusterTest.URL;
import static io.polyvisor.cluster.ClusterTest.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease table on a real PostgreSQL (fresh schema): epochs grow at each acquisition, expiry is the database's clock,
 * a stale epoch is refused, and a holder's fencing check blocks a takeover until the holder's write commits.
 */
class LeaseFencingTest {
    private String schema;
    private Store store;
    /** Threads of their own: the common pool may have a single thread on a 2-core machine, and the holder blocks one. */
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        schema = "lease_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ClusterTest.sql("CREATE SCHEMA " + schema);
        store = Stores.open(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
    }

    @AfterEach
    void drop() {
        pool.shutdownNow();
        store.close();
        ClusterTest.sql("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void aLeaseHeldByOneOwnerCannotBeTakenUntilItExpiresAndTheNextHolderGetsALargerEpoch() throws Exception {
        assertThat(store.acquireLease("host:h1", "a", 600)).hasValue(1);
        assertThat(store.acquireLease("host:h1", "b", 600)).as("held by a").isEmpty();
        assertThat(store.holdsLease("host:h1", "a", 1)).isTrue();
        Thread.sleep(700); // the database's clock passes the expiry
        assertThat(store.renewLease("host:h1", "a", 1, 600)).as("an expired lease is not renewed").isFalse();
        assertThat(store.holdsLease("host:h1", "a", 1)).isFalse();
        assertThat(store.acquireLease("host:h1", "b", 600)).hasValue(2);
        assertThat(store.holdsLease("host:h1", "a", 1)).as("stale epoch refused").isFalse();
        assertThat(store.renewLease("host:h1", "a", 1, 600)).isFalse();
        assertThat(store.renewLease("host:h1", "b", 2, 600)).isTrue();
    }

    @Test
    void oneStatementRenewsExactlyTheLeasesStillHeldAtTheirEpoch() throws Exception {
        store.acquireLease("host:h1", "a", 500);
        store.acquireLease("host:h2", "a", 500);
        store.acquireLease("host:h3", "b", 5_000);
        assertThat(store.renewLeases("a", java.util.Map.of("host:h1", 1L, "host:h2", 7L, "host:h3", 1L), 5_000))
                .containsExactly("host:h1"); // h2: another epoch; h3: another owner
        Thread.sleep(600);
        assertThat(store.holdsLease("host:h1", "a", 1)).isTrue();
        assertThat(store.holdsLease("host:h2", "a", 1)).as("not renewed, expired").isFalse();
        assertThat(store.renewLeases("a", java.util.Map.of(), 5_000)).isEmpty();
    }

    @Test
    void oneStatementAcquiresTheFreeExpiredAndOwnLeasesOnly() throws Exception {
        store.acquireLease("host:h1", "b", 60_000); // held by another: not taken
        store.acquireLease("host:h2", "b", 300); // expires: taken with the next epoch
        store.acquireLease("host:h3", "a", 60_000); // already a's (a previous process): taken again, next epoch
        Thread.sleep(400);
        assertThat(store.acquireLeases(java.util.List.of("host:h4", "host:h3", "host:h2", "host:h1"), "a", 60_000))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("host:h2", 2L, "host:h3", 2L, "host:h4", 1L));
        assertThat(store.holdsLease("host:h1", "b", 1)).isTrue();
        assertThat(store.acquireLeases(java.util.List.of(), "a", 60_000)).isEmpty();
    }

    @Test
    void aReleasedLeaseIsFreeAtOnce() {
        OptionalLong e = store.acquireLease("leader", "a", 10_000);
        store.releaseLease("leader", "a", e.getAsLong());
        assertThat(store.acquireLease("leader", "b", 10_000)).hasValue(e.getAsLong() + 1);
    }

    @Test
    void aTakeoverWaitsForTheHoldersFencedWriteToCommit() throws Exception {
        store.acquireLease("host:h1", "a", 300);
        var checked = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = CompletableFuture.supplyAsync(() -> store.inTransaction(tx -> {
            boolean holds = tx.holdsLease("host:h1", "a", 1); // share-locks the lease row
            checked.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            tx.putSetting("fenced-write", "by a");
            return holds;
        }), pool);
        assertThat(checked.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(400); // the lease has expired by the database's clock meanwhile
        var taker = CompletableFuture.supplyAsync(() -> store.acquireLease("host:h1", "b", 5_000), pool);
        Thread.sleep(300);
        assertThat(taker).as("the takeover waits for the holder's transaction").isNotDone();
        release.countDown();
        assertThat(holder.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(taker.get(5, TimeUnit.SECONDS)).hasValue(2);
        assertThat(store.setting("fenced-write")).hasValue("by a");
        assertThat(store.holdsLease("host:h1", "a", 1)).isFalse();
    }

    @Test
    void aRenewalDoesNotWaitForAHoldersFencedWriteButAnAcquisitionDoes() throws Exception {
        store.acquireLease("host:h1", "a", 60_000);
        var checked = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = CompletableFuture.supplyAsync(() -> store.inTransaction(tx -> {
            boolean holds = tx.holdsLease("host:h1", "a", 1);
            checked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            tx.putSetting("fenced-write", "by a");
            return holds;
        }), pool);
        assertThat(checked.await(5, TimeUnit.SECONDS)).isTrue();
        // the holder's own renewal, from another connection, while its fenced write is open: at once
        var renewal = CompletableFuture.supplyAsync(() -> store.renewLeases("a", java.util.Map.of("host:h1", 1L), 60_000), pool);
        assertThat(renewal.get(2, TimeUnit.SECONDS)).containsExactly("host:h1");
        // a takeover (a's own new epoch here, the lease being a's) waits for the open write
        var taker = CompletableFuture.supplyAsync(() -> store.acquireLease("host:h1", "a", 60_000), pool);
        Thread.sleep(500);
        assertThat(taker).as("the acquisition waits for the holder's transaction").isNotDone();
        release.countDown();
        assertThat(holder.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(taker.get(5, TimeUnit.SECONDS)).hasValue(2);
    }

    @Test
    void aNameHeldByALiveServerOfAnotherFolderIsRefusedAndADeadOnesIsTakenOver() throws Exception {
        assertThat(store.joinCluster("s1", "i-1", "http://127.0.0.1:1", 500)).isEmpty();
        assertThat(store.joinCluster("s1", "i-2", "http://127.0.0.1:2", 500)).get()
                .extracting(Member::address).isEqualTo("http://127.0.0.1:1");
        Thread.sleep(600); // no heartbeat for longer than the TTL: s1 is dead
        assertThat(store.joinCluster("s1", "i-2", "http://127.0.0.1:2", 500)).isEmpty();
        assertThat(store.clusterHeartbeat("s1", "i-1")).as("the old instance lost its name").isFalse();
        assertThat(store.clusterMembers()).singleElement().satisfies(m -> {
            assertThat(m.address()).isEqualTo("http://127.0.0.1:2");
            assertThat(m.epoch()).isEqualTo(2);
        });
    }
}
