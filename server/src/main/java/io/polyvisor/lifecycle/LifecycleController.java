package io.polyvisor.lifecycle;

import io.polyvisor.events.Journal;
import io.polyvisor.feature.GuestFacets;
import io.polyvisor.drivers.Connections;
import io.polyvisor.events.SharedEvent;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.DriverException;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Drives VMs to their desired state by running persisted tasks through the drivers.
 *
 * <p>Contract: tasks of one VM run one at a time, oldest first; tasks of different VMs run in parallel.
 * A task is marked running (attempts + 1) before its first step, and succeeded or failed after its last.
 * A retryable driver failure puts it back in the queue with exponential back-off until
 * {@link LifecycleSettings#maxAttempts()}. On start, tasks left queued or running by a previous process are simply
 * run (again): every step is idempotent per VM UUID, so a re-run never duplicates a VM. For the same reason a task's
 * writes do not wait to be durable ({@link Store#deferringDurability}): a crash may lose the last of them, and the
 * task, still queued or running on disk, runs again; clients learn of its progress only from durable events.
 *
 * <p>In a cluster ({@link TaskClaims}) it runs only the tasks this server may claim; every task record it writes
 * verifies the claim in the same transaction, and so does each step's end, so a server that lost a host's lease
 * stops recording (and stepping) that task at once and leaves it to the new owner.
 */
public final class LifecycleController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LifecycleController.class);

    private final Store store;
    private final Journal journal;
    private final LifecycleSettings timing;
    private final TaskSteps steps;
    private final VmUpdates vms;
    private final BiConsumer<Task, Duration> onFinish;
    private volatile TaskClaims claims = TaskClaims.ALL;
    private final Map<UUID, TaskClaims.Claim> claimed = new ConcurrentHashMap<>();
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Instant> notBefore = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-", 0).factory());
    private final Thread loop = Thread.ofPlatform().daemon().name("lifecycle").unstarted(this::loop);
    private final Object wakeLock = new Object();
    private boolean woken;
    private volatile boolean stopping;

    public LifecycleController(Store store, Connections conns, VmUpdates vms, Journal journal, LifecycleSettings timing,
                               StepHook hook, BiConsumer<Task, Duration> onFinish, GuestFacets guest, VmNetworking networking) {
        this.store = store;
        this.journal = journal;
        this.timing = timing;
        this.onFinish = onFinish;
        this.vms = vms;
        StepHook verified = (task, step) -> {
            TaskClaims.Claim c = claimed.get(task.id());
            if (c != null) c.verify(store);
            hook.after(task, step);
        };
        this.steps = new TaskSteps(store, conns, vms, journal, verified, timing.stopGrace(), guest, networking);
    }

    /** Which tasks this server runs (a cluster member: those of the hosts it owns); set before {@link #start()}. */
    public void claims(TaskClaims c) {
        this.claims = java.util.Objects.requireNonNull(c, "claims");
    }

    public void start() {
        loop.start();
    }

    /** Asks the controller to look for work now (the API calls it after queueing a task). */
    public void wake() {
        synchronized (wakeLock) {
            woken = true;
            wakeLock.notifyAll();
        }
    }

    /** Whether a task of this VM is executing in this process right now. */
    public boolean executing(UUID vm) {
        return busy.contains(vm);
    }

    private void loop() {
        while (!stopping) {
            try {
                dispatch();
            } catch (RuntimeException e) {
                io.polyvisor.store.Stores.logFailure(log, "lifecycle dispatch failed; retrying at next poll", e);
            }
            synchronized (wakeLock) {
                try {
                    if (!woken && !stopping) wakeLock.wait(timing.taskPoll().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                woken = false;
            }
        }
    }

    private void dispatch() {
        Set<UUID> seen = new HashSet<>();
        Instant now = Instant.now();
        for (Task t : store.unfinishedTasks()) {
            UUID key = t.vmId() != null ? t.vmId() : t.id();
            if (!seen.add(key) || stopping) continue; // only the oldest task of each VM may run
            Instant nb = notBefore.get(t.id());
            if (nb != null && now.isBefore(nb)) continue;
            if (!busy.add(key)) continue;
            var claim = claims.claim(t);
            if (claim.isEmpty()) {
                busy.remove(key); // another server's host: its owner runs it
                continue;
            }
            claimed.put(t.id(), claim.get());
            workers.execute(() -> {
                try {
                    // every write of the run (task records, VM states, events) is fenced by the claim's lease and epoch
                    io.polyvisor.store.WriteFence.under(claim.get().fence(), () -> store.deferringDurability(() -> {
                        run(t, claim.get());
                        return null;
                    }));
                } catch (TaskClaims.Lost | io.polyvisor.store.WriteFence.Refused lost) {
                    log.warn("task {} left to the new owner of its host: {}", t.id(), lost.getMessage());
                } catch (StepHook.Crash crash) {
                    log.warn("{}; lifecycle controller stops as a killed process would", crash.getMessage());
                    stopping = true;
                } catch (RuntimeException e) {
                    log.error("task {} could not be recorded; it will be retried", t.id(), e);
                } finally {
                    claimed.remove(t.id());
                    claim.get().close();
                    busy.remove(key);
                    if (!stopping) wake();
                }
            });
        }
    }

    private void run(Task queued, TaskClaims.Claim claim) {
        Task t = store.task(queued.id()).orElse(queued);
        if (t.status().done() || stopping) return;
        String subject = subject(t);
        if (t.status() == Task.Status.RUNNING) log.info("resuming task {} {} left running by a previous process", t.id(), label(t));
        Task running = with(t, Task.Status.RUNNING, t.attempts() + 1, t.error(), t.result());
        recordTask(running, LifecycleEvent.TASK_STARTED, label(t) + " " + subject + " (attempt " + running.attempts() + ")", subject);
        long t0 = System.nanoTime();
        try {
            Map<String, String> result = steps.run(running);
            finish(running, subject, Task.Status.SUCCEEDED, null, result, t0);
        } catch (StepHook.Crash | TaskClaims.Lost | io.polyvisor.store.WriteFence.Refused stop) {
            throw stop;
        } catch (DriverException e) {
            if (e.retryable() && running.attempts() < timing.maxAttempts()) {
                retryLater(running, subject, e.getMessage());
            } else {
                fail(running, subject, e.getMessage(), t0);
            }
        } catch (InvalidInput | VmState.IllegalTransition e) {
            fail(running, subject, e.getMessage(), t0);
        } catch (RuntimeException e) {
            log.error("task {} {} failed on a bug", t.id(), label(t), e);
            fail(running, subject, "internal error: " + e, t0);
        }
    }

    private void retryLater(Task t, String subject, String error) {
        long delay = timing.retryBase().toMillis() << Math.min(t.attempts() - 1, 10);
        notBefore.put(t.id(), Instant.now().plusMillis(delay));
        recordTask(with(t, Task.Status.QUEUED, t.attempts(), error, t.result()), LifecycleEvent.TASK_RETRY,
                label(t) + " " + subject + " will retry in " + delay + " ms: " + error, subject);
    }

    private void fail(Task t, String subject, String error, long t0) {
        TaskClaims.Claim claim = claimed.get(t.id());
        if (claim != null) claim.verify(store);
        if (t.kind() == Task.Kind.CREATE || t.kind() == Task.Kind.RESTART) {
            VmState failed = new VmState.Failed(error);
            var after = vms.update(t.vmId(), v -> v.state().canBecome(failed) ? v.withState(failed) : v);
            if (after.isPresent()) journal.vmState(after.get(), subject + " is failed: " + error);
            else journal.record(SharedEvent.VM_STATE, subject, subject + " is failed: " + error);
        }
        finish(t, subject, Task.Status.FAILED, error, t.result(), t0);
    }

    private void finish(Task t, String subject, Task.Status status, String error, Map<String, String> result, long t0) {
        Task done = with(t, status, t.attempts(), error, result);
        notBefore.remove(t.id());
        LifecycleEvent type = status == Task.Status.SUCCEEDED ? LifecycleEvent.TASK_SUCCEEDED : LifecycleEvent.TASK_FAILED;
        recordTask(done, type, label(t) + " " + subject + (error == null ? " succeeded" : " failed: " + error), subject);
        onFinish.accept(done, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Writes the task's new status and its event together, so a client that sees the status also finds the event. */
    private void recordTask(Task t, LifecycleEvent type, String message, String subject) {
        TaskClaims.Claim claim = claimed.get(t.id());
        store.inTransaction(tx -> {
            if (claim != null) claim.verify(tx); // the fencing check: refused if another server holds the host now
            tx.updateTask(t);
            journal.record(tx, type, subject, message);
            return null;
        });
        journal.signal();
    }

    private String subject(Task t) {
        if (t.vmId() == null) return t.target() != null ? t.target() : "-";
        return store.vm(t.vmId()).map(Vm::name).orElse(t.vmId().toString());
    }

    private static String label(Task t) {
        return Admission.label(t.kind());
    }

    private static Task with(Task t, Task.Status s, int attempts, String error, Map<String, String> result) {
        return new Task(t.id(), t.kind(), t.vmId(), t.target(), s, attempts, error, t.created(), Instant.now(), result);
    }

    /** Graceful: stops taking tasks and waits up to 10 s for running ones to finish. */
    @Override
    public void close() {
        stopping = true;
        wake();
        workers.shutdown();
        try {
            loop.join(5_000);
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) workers.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Like a killed process: stops at once; tasks in flight stay recorded as running. */
    public void halt() {
        stopping = true;
        wake();
        workers.shutdownNow();
        try {
            // interrupted workers may still be inside a store call; let them unwind before the store closes
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
