package io.polyvisor.store;

import io.polyvisor.model.Event;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On H2 a commit is readable before it is on disk. The store must not let anyone see a write (by reading it, by the
 * event stream, or by the write returning) before its commit is durable: a crash in between would take back a
 * state someone saw, or hand an event's seq out again with other content. The disk is held here by a gate around
 * the real {@link H2GroupSync}.
 */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void aWriteIsNeitherReadableNorPublishedNorReturnedBeforeItsCommitIsDurable() throws Exception {
        var held = new CountDownLatch(1);
        var disk = new CountDownLatch(1);
        try (Store store = Stores.open("jdbc:h2:file:" + dir.resolve("db"), "sa", "", d -> gated(d, held, disk))) {
            assertThat(store.events(0, 10)).isEmpty();
            assertThat(store.vmByName("web1")).isEmpty();
            List<Event> published = new CopyOnWriteArrayList<>();
            store.onEvent(published::add);
            var returned = new CopyOnWriteArrayList<Event>();
            Thread writer = Thread.ofPlatform().start(() -> {
                store.inTransaction(tx -> {
                    tx.insertVm(StoreFixtures.vm("web1"));
                    tx.appendEvent("vm.created", "web1", "created");
                    return null;
                });
                returned.add(StoreFixtures.stored(store, "vm.created", "web1", "created"));
            });
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the write committed and waits for the disk").isTrue();

            var eventsRead = new CopyOnWriteArrayList<List<Event>>();
            var vmsRead = new CopyOnWriteArrayList<Boolean>();
            Thread reader = Thread.ofPlatform().start(() -> {
                eventsRead.add(store.events(0, 10));
                vmsRead.add(store.vmByName("web1").isPresent());
            });
            reader.join(300);
            assertThat(eventsRead).as("events read before durable").isEmpty();
            assertThat(vmsRead).as("VM read before durable").isEmpty();
            assertThat(published).as("published before durable").isEmpty();
            assertThat(returned).as("returned before durable").isEmpty();

            disk.countDown();
            writer.join(30_000);
            reader.join(30_000);
            assertThat(returned).hasSize(1);
            assertThat(eventsRead).containsExactly(List.copyOf(returned));
            assertThat(vmsRead).containsExactly(true);
            assertThat(published).containsExactlyElementsOf(returned);
        }
    }

    /**
     * The executor's writes do not wait for the disk ({@link Store#deferringDurability}), but nobody else may see them
     * before they are durable: no other reader, no listener. A background sync makes them durable without any other
     * write coming along.
     */
    @Test
    void aDeferredWriteReturnsAtOnceButNobodySeesItBeforeItIsDurable() throws Exception {
        var held = new CountDownLatch(1);
        var disk = new CountDownLatch(1);
        try (Store store = Stores.open("jdbc:h2:file:" + dir.resolve("db"), "sa", "", d -> gated(d, held, disk))) {
            List<Event> published = new CopyOnWriteArrayList<>();
            store.onEvent(published::add);
            store.deferringDurability(() -> store.inTransaction(tx -> {
                tx.insertVm(StoreFixtures.vm("web1"));
                tx.appendEvent("vm.created", "web1", "created");
                return null;
            }));
            assertThat(held.await(30, TimeUnit.SECONDS)).as("a background sync waits for the disk").isTrue();
            assertThat(store.deferringDurability(() -> store.vmByName("web1"))).as("the deferring thread reads its own write").isPresent();

            var vmsRead = new CopyOnWriteArrayList<Boolean>();
            Thread reader = Thread.ofPlatform().start(() -> vmsRead.add(store.vmByName("web1").isPresent()));
            reader.join(300);
            assertThat(vmsRead).as("VM read by another before durable").isEmpty();
            assertThat(published).as("published before durable").isEmpty();

            disk.countDown();
            reader.join(30_000);
            assertThat(vmsRead).containsExactly(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (published.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(published).extracting(Event::type, Event::subject).containsExactly(org.assertj.core.groups.Tuple.tuple("vm.created", "web1"));
            assertThat(published).containsExactlyElementsOf(store.events(0, 10));
        }
    }

    /** {@code d}, with every commit's sync held (after counting {@code held} down) until {@code disk} opens. */
    private static Durability gated(Durability d, CountDownLatch held, CountDownLatch disk) {
        return new Durability() {
            @Override
            public long committed() {
                return d.committed();
            }

            @Override
            public long lastCommitted() {
                return d.lastCommitted();
            }

            @Override
            public void await(long number, java.util.function.Supplier<Handle> connection,
                              java.util.function.Consumer<Runnable> betweenCommits) {
                if (number > 0) { // the disk is held for every commit
                    held.countDown();
                    try {
                        assertThat(disk.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                d.await(number, connection, betweenCommits);
            }

            @Override
            public boolean readsAheadOfDisk() {
                return d.readsAheadOfDisk();
            }
        };
    }

    @Test
    void aReopenedStoreReadsEveryEventItHadMadeDurable() {
        try (Store store = Stores.embedded(dir)) {
            for (int i = 0; i < 3; i++) store.appendEvent("vm.created", "vm" + i, null);
        }
        try (Store store = Stores.embedded(dir)) {
            assertThat(store.events(0, 10)).extracting(Event::seq).containsExactly(1L, 2L, 3L);
            assertThat(StoreFixtures.append(store, "after", null, null).seq()).isEqualTo(4);
        }
    }

    /**
     * What a {@code kill -9} leaves right after a few durable commits of a process that opened the file after a
     * clean close: H2's quick recovery missed them (its header named the chunk before the first new one, which had
     * gone into reused space), so the store recovers by a full scan ({@link Stores}).
     */
    @Test
    void commitsOfAShortLivedProcessSurviveItsKill(@TempDir Path killed) throws Exception {
        try (Store store = Stores.embedded(dir)) {
            store.putSetting("churn", "created");
        }
        // dead chunks may be overwritten at once (by default only after 45 s, which a server running for long reaches)
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("polyvisor"), "sa", "");
             var s = c.createStatement()) {
            s.execute("SET RETENTION_TIME 0");
        }
        try (Store store = Stores.embedded(dir)) {
            for (int i = 0; i < 300; i++) store.putSetting("churn", "value " + i); // frees space in the file
        }
        List<Long> seqs = new java.util.ArrayList<>();
        try (Store store = Stores.embedded(dir)) {
            for (int i = 0; i < 5; i++) seqs.add(StoreFixtures.append(store, "vm.created", "vm" + i, null).seq());
            // every write above returned, so it is durable: the file now is what kill -9 would leave
            java.nio.file.Files.copy(dir.resolve("polyvisor.mv.db"), killed.resolve("polyvisor.mv.db"));
        }
        try (Store store = Stores.embedded(killed)) {
            assertThat(store.events(0, 100)).extracting(Event::seq).containsExactlyElementsOf(seqs);
        }
    }
}
