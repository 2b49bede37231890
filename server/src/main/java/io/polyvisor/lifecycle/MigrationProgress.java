package io.polyvisor.lifecycle;

import io.polyvisor.model.Task;
import io.polyvisor.store.Store;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * Records a running migration's progress on its task ({@code result.progress}, 0 to 1) so the API and CLI can
 * follow it: written when it has grown by at least 5 points since the last write, or reached 1. Called from the
 * driver's migrating thread; the driver guarantees no call after its migrate returns.
 */
final class MigrationProgress implements DoubleConsumer {
    private static final double STEP = 0.05;
    private final Store store;
    private final Task task;
    private double written = -1;

    MigrationProgress(Store store, Task task) {
        this.store = store;
        this.task = task;
    }

    @Override
    public synchronized void accept(double fraction) {
        if (fraction < 1 && fraction - written < STEP) return;
        written = fraction;
        var progress = String.format(Locale.ROOT, "%.2f", fraction);
        store.updateTask(new Task(task.id(), task.kind(), task.vmId(), task.target(), Task.Status.RUNNING, task.attempts(),
                task.error(), task.created(), Instant.now(), Map.of("progress", progress)));
    }
}
