package io.polyvisor.tasks;

import io.polyvisor.model.Task;
import io.polyvisor.store.Store;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * The one task queue. Every producer (the API's VM requests, HA recovery and standbys, the balancer through
 * the API's requests) enqueues {@link TaskRequest}s here, inside the transaction that records why; the one
 * executor, the lifecycle controller, runs them through the drivers. Producers carry no wake-up callback: the
 * executor is woken once the enqueueing transaction commits ({@link Store#afterCommit}), so it never looks
 * for a task before it is visible, and a transaction that rolls back wakes nobody.
 *
 * <pre>
 *   VmRequests ─┐
 *   HA (restarts, fences, standbys) ─┼─► enqueue(tx, request) ─► tasks table ─► LifecycleController ─► TaskSteps ─► drivers
 *   balancer (via VmRequests) ─┘              └─ after commit: wake the executor
 * </pre>
 */
public final class TaskQueue {
    private final Runnable wakeExecutor;
    private final Clock clock;

    /** @param wakeExecutor tells the executor to look for work now; must be quick and must not block */
    public TaskQueue(Runnable wakeExecutor, Clock clock) {
        this.wakeExecutor = wakeExecutor;
        this.clock = clock;
    }

    /**
     * Queues {@code request} through {@code tx} (a transaction's view, or the root store for a task on its own)
     * and returns the task as stored. The executor is woken after {@code tx} commits.
     */
    public Task enqueue(Store tx, TaskRequest request) {
        var now = clock.instant();
        var task = new Task(UUID.randomUUID(), request.kind(), request.vm(), request.target(), Task.Status.QUEUED, 0, null,
                now, now, Map.of());
        tx.insertTask(task);
        tx.afterCommit(wakeExecutor);
        return task;
    }
}
