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
                mine.add(n % 2 == 0 ? store.appendEvent("test", "w" + i, "n" + n)
                        : store.inTransaction(s -> {
                            s.putSetting("writer" + i, "n" + n);
                            return s.appendEvent("test", "w" + i, "n" + n);
                        }));
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

    /** Runs one task per thread, all released at once; returns their results in thread order. */
    private static <T> List<T> runTogether(java.util.function.IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            var start = new CyclicBarrier(THREADS);
            var futures = new ArrayList<Future<T>>();
            for (int i = 0; i < THREADS; i++) {
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
