package io.polyvisor.cluster;

import io.polyvisor.feature.Controller;

/**
 * A cluster-wide controller (balancer, groups, retention...) that runs only while this server holds the leader lease:
 * started when it becomes leader, halted (as by {@code kill -9}: nothing more is written) the moment the lease is no
 * longer trusted. A controller is started at most once: a server that lost the lead does not lead again.
 */
final class LeaderOnly implements Controller {
    private final Controller inner;
    private final Membership membership;
    private boolean started;
    private boolean ended;

    LeaderOnly(Controller inner, Membership membership) {
        this.inner = inner;
        this.membership = membership;
    }

    @Override
    public void start() {
        membership.register(this);
    }

    synchronized void lead() {
        if (started || ended) return;
        started = true;
        inner.start();
    }

    synchronized void abdicate() {
        if (ended) return;
        ended = true;
        if (started) inner.halt();
    }

    @Override
    public synchronized void close() {
        if (ended) return;
        ended = true;
        if (started) inner.close();
    }

    @Override
    public synchronized void halt() {
        if (ended) return;
        ended = true;
        if (started) inner.halt();
    }
}
