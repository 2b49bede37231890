package io.polyvisor.store;

import io.polyvisor.model.HostState;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes made under a {@link WriteFence} on a real PostgreSQL (a fresh schema): once another server took the lease
 * (a new epoch), every kind of write a lease holder makes is refused by the database and leaves nothing behind, while
 * the same write under the current epoch commits. Each kind is the store call its writer makes: the task executor's
 * task records, the host monitor's observed VM state (reconcile), HA's host state, the tasks the leader's controllers
 * and HA queue (balance moves, group members, restarts), and the events all of them append.
 */
class FencedWriteTest {
    private String schema;
    private Store store;
    private Vm vm;
    private Task task;

    @BeforeEach
    void open() {
        schema = "fence_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        String url = PostgresStoreTestAccess.url();
        store = Stores.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password());
        store.insertHost(StoreFixtures.host("h1"));
        vm = StoreFixtures.vm("web").withHost("h1").withState(VmState.RUNNING);
        store.insertVm(vm);
        task = StoreFixtures.task(vm.id(), Task.Kind.STOP, Task.Status.QUEUED, StoreFixtures.now());
        store.insertTask(task);
        // server a held host h1 and the leader lease at epoch 1; server b took both over (epoch 2): a is stale
        for (String lease : new String[] {"host:h1", "leader"}) {
            assertThat(store.acquireLease(lease, "a", 60_000)).hasValue(1);
            sql("UPDATE " + schema + ".cluster_leases SET expires = clock_timestamp() WHERE name = '" + lease + "'");
            assertThat(store.acquireLease(lease, "b", 60_000)).hasValue(2);
        }
    }

    @AfterEach
    void drop() {
        store.close();
        sql("DROP SCHEMA " + schema + " CASCADE");
    }

    private static final WriteFence STALE_HOST = WriteFence.of("a", "host:h1", 1);
    private static final WriteFence CURRENT_HOST = WriteFence.of("b", "host:h1", 2);
    private static final WriteFence STALE_LEADER = WriteFence.of("a", "leader", 1);
    private static final WriteFence CURRENT_LEADER = WriteFence.of("b", "leader", 2);

    private void refused(WriteFence fence, Runnable write) {
        long events = lastSeq();
        assertThatThrownBy(() -> WriteFence.under(fence, write)).isInstanceOf(WriteFence.Refused.class)
                .hasMessageContaining("no longer held");
        assertThat(lastSeq()).as("no event of the refused write").isEqualTo(events);
    }

    private long lastSeq() {
        var page = store.events(0, 100_000);
        return page.isEmpty() ? 0 : page.getLast().seq();
    }

    @Test
    void theExecutorsTaskRecordUnderAStaleEpochIsRefused() {
        Task running = new Task(task.id(), task.kind(), task.vmId(), null, Task.Status.RUNNING, 1, null, task.created(), task.updated(), Map.of());
        refused(STALE_HOST, () -> store.inTransaction(tx -> {
            tx.updateTask(running);
            tx.appendEvent("task.started", "web", "stop web (attempt 1)");
            return null;
        }));
        assertThat(store.task(task.id()).orElseThrow().status()).isEqualTo(Task.Status.QUEUED);
        WriteFence.under(CURRENT_HOST, () -> store.updateTask(running));
        assertThat(store.task(task.id()).orElseThrow().status()).isEqualTo(Task.Status.RUNNING);
    }

    @Test
    void anObservedVmStateUnderAStaleEpochIsRefused() {
        Vm crashed = vm.withState(new VmState.Failed("crashed"));
        refused(STALE_HOST, () -> store.updateVm(crashed));
        assertThat(store.vm(vm.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        WriteFence.under(CURRENT_HOST, () -> store.updateVm(crashed));
        assertThat(store.vm(vm.id()).orElseThrow().state()).isInstanceOf(VmState.Failed.class);
    }

    @Test
    void haHostStateUnderAStaleEpochIsRefused() {
        var failed = store.host("h1").orElseThrow().withState(HostState.FAILED);
        refused(STALE_HOST, () -> store.updateHost(failed));
        assertThat(store.host("h1").orElseThrow().state()).isEqualTo(HostState.CONNECTED);
        WriteFence.under(CURRENT_HOST, () -> store.updateHost(failed));
        assertThat(store.host("h1").orElseThrow().state()).isEqualTo(HostState.FAILED);
    }

    @Test
    void aTaskQueuedByAStaleLeaderOrHaIsRefused() {
        Task move = new Task(UUID.randomUUID(), Task.Kind.MIGRATE, vm.id(), "h2", Task.Status.QUEUED, 0, null,
                StoreFixtures.now(), StoreFixtures.now(), Map.of());
        refused(STALE_LEADER, () -> store.insertTask(move)); // a balance move, a group member
        refused(STALE_HOST, () -> store.insertTask(move)); // an HA restart of a VM of the host
        assertThat(store.task(move.id())).isEmpty();
        WriteFence.under(CURRENT_LEADER, () -> store.insertTask(move));
        assertThat(store.task(move.id())).isPresent();
    }

    @Test
    void aFenceOverSeveralHostsIsRefusedWhenAnyOneIsLost() {
        store.insertHost(StoreFixtures.host("h2"));
        assertThat(store.acquireLease("host:h2", "b", 60_000)).hasValue(1);
        var both = new WriteFence("b", Map.of("host:h1", 2L, "host:h2", 1L));
        WriteFence.under(both, () -> store.appendEvent("host.suspect", "h2", "late"));
        refused(new WriteFence("b", Map.of("host:h1", 1L, "host:h2", 1L)), () -> store.appendEvent("host.suspect", "h2", "late"));
        // reads are never fenced
        assertThat(WriteFence.under(STALE_HOST, () -> store.vm(vm.id()))).isPresent();
    }

    @Test
    void aFenceBoundForATermReachesTheThreadsStartedUnderItAndAnOwnFenceWins() throws Exception {
        var seen = new AtomicReference<WriteFence>();
        Thread t = WriteFence.inherited(STALE_LEADER, () -> Thread.ofPlatform().unstarted(() -> seen.set(WriteFence.current())));
        t.start();
        t.join();
        assertThat(seen.get()).isEqualTo(STALE_LEADER);
        var child = CompletableFuture.supplyAsync(() -> WriteFence.under(CURRENT_HOST, WriteFence::current));
        assertThat(child.get()).isEqualTo(CURRENT_HOST);
        Thread plain = WriteFence.under(STALE_HOST, () -> Thread.ofPlatform().unstarted(() -> seen.set(WriteFence.current())));
        plain.start();
        plain.join();
        assertThat(seen.get()).as("a fence bound by under is this thread's only").isNull();
    }

    private static void sql(String statement) {
        try (var c = DriverManager.getConnection(PostgresStoreTestAccess.url(), PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password())) {
            c.createStatement().execute(statement);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("PostgreSQL is needed (sudo scripts/postgres-up): " + e.getMessage(), e);
        }
    }
}
