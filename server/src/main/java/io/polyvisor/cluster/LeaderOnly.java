package io.polyvisor.cluster;

import io.polyvisor.feature.Controller;
import io.polyvisor.store.WriteFence;

import java.util.List;
import java.util.function.Supplier;

/**
 * A feature's cluster-wide controllers (balancer, groups, retention...), run only while this server holds the leader
 * lease, one term at a time: at each term's start fresh controllers are made ({@code controllers.get()}) and started
 * under the term's {@link WriteFence} (the leader lease at its epoch; inherited by the threads they start), so every
 * write they make is refused by the database once the term is over. A term ends the moment the lease is no longer
 * trusted: its controllers are halted, as by {@code kill -9}. A server may lead again later, in a new term.
 */
final class LeaderOnly implements Controller {
    private final Supplier<List<Controller>> controllers;
    private final Membership membership;
    private List<Controller> term = List.of();
    private boolean closed;

    LeaderOnly(Supplier<List<Controller>> controllers, Membership membership) {
        this.controllers = controllers;
        this.membership = membership;
    }

    @Override
    public void start() {
        membership.register(this);
    }

    /** Starts a term under {@code fence}, unless one runs or this was closed. */
    synchronized void lead(WriteFence fence) {
        if (closed || !term.isEmpty()) return;
        term = WriteFence.inherited(fence, () -> {
            List<Controller> fresh = List.copyOf(controllers.get());
            fresh.forEach(Controller::start);
            return fresh;
        });
    }

    /** Ends the running term, as a crash would: its controllers write nothing more. */
    synchronized void abdicate() {
        term.reversed().forEach(Controller::halt);
        term = List.of();
    }

    @Override
    public synchronized void close() {
        closed = true;
        term.reversed().forEach(Controller::close);
        term = List.of();
    }

    @Override
    public synchronized void halt() {
        closed = true;
        abdicate();
    }
}
