package io.polyvisor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Runs one action per item at once, on platform threads (blocking JNA calls would pin virtual threads). */
final class Parallel {
    private Parallel() {}

    /** The wall time in seconds until every action has returned; the first failure is thrown. */
    static <T> double wall(List<T> items, Consumer<T> action) {
        try (var pool = Executors.newFixedThreadPool(items.size())) {
            long t0 = System.nanoTime();
            var futures = new ArrayList<Future<?>>();
            for (T item : items) futures.add(pool.submit(() -> action.accept(item)));
            for (var f : futures) f.get();
            return (System.nanoTime() - t0) / 1e9;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
