package io.polyvisor.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to. {@link #advance} runs the tasks that fall due, in time order (ties in
 * the order they were scheduled), with {@link #now()} set to each task's due time while it runs. {@link #sleep}
 * advances the clock, so a simulated delay costs no wall time.
 *
 * <p>Meant for one driving thread (a test or a benchmark): two threads sleeping at once both move time forward.
 */
public final class VirtualClock implements SimClock {
    private record Due(Instant at, long order, Runnable task) {}

    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.order, b.order);
    });
    private Instant now;
    private long scheduled;

    VirtualClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public void sleep(Duration d) {
        advance(d);
    }

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        queue.add(new Due(now.plus(delay.isNegative() ? Duration.ZERO : delay), scheduled++, task));
    }

    /** Moves time forward by {@code d}, running every task due up to the new time. Tasks run without the clock's lock. */
    public void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("cannot advance a clock by a negative duration: " + d);
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        while (true) {
            Due next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(target)) {
                    if (now.isBefore(target)) now = target;
                    return;
                }
                queue.poll();
                if (next.at.isAfter(now)) now = next.at;
            }
            next.task.run();
        }
    }

    @Override
    public String toString() {
        return "virtual clock at " + now();
    }
}
