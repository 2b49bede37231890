package io.polyvisor.store;

import io.polyvisor.model.Event;
import io.polyvisor.model.Vm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.polyvisor.store.StoreFixtures.stored;
import static io.polyvisor.store.StoreFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/** The store's lifecycle per test, and what several threads writing at once must see. */
abstract class StoreConcurrencyContract {
    static final int THREADS = 4;

    Store store;

    /** A store over a fresh, empty database. */
    abstract Store newStore();

    /** A store over the same database as the last {@link #newStore()}, after the previous one was closed. */
    abstract Store reopen();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void concurrentAppendsGetUniqueIncreasingSeqsPublishedInOrder() throws Exception {
        int perThread = 50;
        var published = Collections.synchronizedList(new ArrayList<Event>());
        store.onEvent(published::add);
        List<List<Event>> perWriter = runTogether(i -> () -> {
            var mine = new ArrayList<Event>();
            for (int k = 0; k < perThread; k++) {
                int n = k;
                // half of them inside a transaction with another write, to hold the seq across statements
                if (n % 2 == 0) {
                    store.appendEvent("test", "w" + i, "n" + n);
                } else {
                    store.inTransaction(s -> {
                        s.putSetting("writer" + i, "n" + n);
                        s.appendEvent("test", "w" + i, "n" + n);
                        return null;
                    });
                }
                mine.add(stored(store, "test", "w" + i, "n" + n));
            }
            return mine;
        });

        List<Event> stored = store.events(0, 10_000);
        assertThat(stored).hasSize(THREADS * perThread);
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).seq()).isGreaterThan(stored.get(i - 1).seq());
        }
        for (List<Event> mine : perWriter) {
            assertThat(stored).containsAll(mine);
            for (int i = 1; i < mine.size(); i++) assertThat(mine.get(i).seq()).isGreaterThan(mine.get(i - 1).seq());
        }
        assertThat(published).as("listeners hear every event once, in seq order").containsExactlyElementsOf(stored);
    }

    @Test
    void racingInsertsOfOneNameLetExactlyOneWin() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "race" + round;
            List<String> outcomes = runTogether(i -> () -> {
                try {
                    store.insertVm(vm(name));
                    return "inserted";
                } catch (Store.Conflict c) {
                    return c.getMessage();
                }
            });
            assertThat(outcomes).filteredOn("inserted"::equals).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.equals("inserted"))
                    .containsOnly("a VM named " + name + " already exists").hasSize(THREADS - 1);
        }
        assertThat(store.vms()).extracting(Vm::name).containsExactly("race0", "race1", "race2", "race3", "race4");
    }

    @Test
    void racingCompareAndSetsOnOneVmLetExactlyOneWin() throws Exception {
        for (int round = 0; round < 5; round++) {
            Vm v = vm("cas" + round);
            store.insertVm(v);
            List<Boolean> won = runTogether(i -> () -> store.replaceVm(v, v.withHost("h" + i)));
            assertThat(won).filteredOn(w -> w).hasSize(1);
            int winner = won.indexOf(true);
            assertThat(store.vm(v.id())).contains(v.withHost("h" + winner));
        }
    }

    @Test
    void aReaderPollingAfterItsLastSeqNeverMissesAnEvent() throws Exception {
        int perWriter = 40;
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        var seen = new ArrayList<Event>();
        Thread reader = Thread.ofPlatform().start(() -> {
            long last = 0;
            while (true) {
                boolean finished = done.get();
                List<Event> page = store.events(last, 1000);
                seen.addAll(page);
                if (!page.isEmpty()) last = page.getLast().seq();
                else if (finished) return;
                else sleep(1);
            }
        });
        runTogether(i -> () -> {
            for (int n = 0; n < perWriter; n++) {
                // the transaction stays open a little after taking its seq, so that appenders overlap
                store.inTransaction(s -> {
                    s.appendEvent("test", "w" + i, null);
                    sleep(1);
                    return null;
                });
            }
            return null;
        });
        done.set(true);
        reader.join(30_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(seen).as("a reader resuming after the last seq it saw got every event")
                .containsExactlyElementsOf(store.events(0, 10_000)).hasSize(THREADS * perWriter);
    }

    @Test
    void transactionsThatDeadlockAreRetriedAndBothApply() throws Exception {
        var a = vm("a");
        var b = vm("b");
        store.insertVm(a);
        store.insertVm(b);
        // writer 0 holds VM a then wants VM b; writer 1 holds VM b then wants VM a (each with an event, numbered at commit)
        var bothHoldOneLock = new CyclicBarrier(2);
        var attempts = new java.util.concurrent.atomic.AtomicInteger();
        runTogether(2, i -> () -> store.inTransaction(s -> {
            boolean first = attempts.incrementAndGet() <= 2;
            // read-modify-write with replaceVm, so that neither overwrites the other's change with a stale read
            s.appendEvent("test", "w" + i, null);
            Vm mine = i == 0 ? a : b;
            Vm theirs = i == 0 ? b : a;
            change(s, mine, v -> v.withHost("h" + i));
            await(bothHoldOneLock, first);
            change(s, theirs, v -> v.withIntent(io.polyvisor.model.PowerIntent.STOPPED));
            return null;
        }));
        assertThat(attempts.get()).as("one of them was rolled back and ran again").isGreaterThan(2);
        assertThat(store.events(0, 10)).extracting(Event::subject).containsExactlyInAnyOrder("w0", "w1");
        assertThat(store.vm(a.id()).orElseThrow().host()).isEqualTo("h0");
        assertThat(store.vm(b.id()).orElseThrow().host()).isEqualTo("h1");
        assertThat(store.vm(a.id()).orElseThrow().intent()).isEqualTo(io.polyvisor.model.PowerIntent.STOPPED);
        assertThat(store.vm(b.id()).orElseThrow().intent()).isEqualTo(io.polyvisor.model.PowerIntent.STOPPED);
    }

    private static void change(Store s, Vm vm, java.util.function.UnaryOperator<Vm> edit) {
        Vm current;
        do {
            current = s.vm(vm.id()).orElseThrow();
        } while (!s.replaceVm(current, edit.apply(current)));
    }

    private static void await(CyclicBarrier barrier, boolean firstAttempt) {
        if (!firstAttempt) return;
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> runTogether(java.util.function.IntFunction<Callable<T>> task) throws Exception {
        return runTogether(THREADS, task);
    }

    /** Runs one task per thread, all released at once; returns their results in thread order. */
    private static <T> List<T> runTogether(int threads, java.util.function.IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new CyclicBarrier(threads);
            var futures = new ArrayList<Future<T>>();
            for (int i = 0; i < threads; i++) {
                Callable<T> c = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            var out = new ArrayList<T>();
            for (Future<T> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
