package io.polyvisor.balancing;

import io.polyvisor.balance.Move;
import io.polyvisor.balance.Plan;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the balancer every interval: first evacuates hosts in maintenance that still run VMs (always,
 * whatever the automation level: the user asked for it), then carries out the moves of the regular plan
 * that the automation level allows. Plans become MIGRATE tasks; the lifecycle controller executes them.
 * Migrations in flight plus those started in a round never exceed {@code maxConcurrent}; the rest waits
 * for a later round.
 */
public final class BalanceController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BalanceController.class);
    private final BalancingService service;
    private final Store store;
    private final Journal journal;
    private final Clock clock;
    private final Duration interval;
    /** What was last reported per host in maintenance that could not be emptied, so it is journaled once, not each round. */
    private final java.util.Map<String, String> reported = new java.util.HashMap<>();
    /** The running schedule, or null: started again after a close (a cluster leader's next term). */
    private ScheduledExecutorService timer;
    private final Object schedule = new Object();

    public BalanceController(BalancingService service, Store store, Journal journal, Clock clock, Duration interval) {
        this.service = service;
        this.store = store;
        this.journal = journal;
        this.clock = clock;
        this.interval = interval;
    }

    public void start() {
        synchronized (schedule) {
            if (timer != null) return;
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "balance-controller");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::runSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs one round now (also used by tests); returns the moves it queued. */
    public synchronized List<BalancingService.Applied> runOnce() {
        long now = clock.instant().getEpochSecond();
        List<BalancingService.Applied> done = new java.util.ArrayList<>();
        var settings = service.settings();
        long inFlight = store.vms().stream().filter(v -> v.state() instanceof io.polyvisor.model.VmState.Migrating).count();
        int budget = (int) Math.max(0, settings.maxConcurrent() - inFlight);
        for (Host h : store.hosts()) {
            if (h.state() != HostState.MAINTENANCE || store.vmsOnHost(h.name()).isEmpty()) continue;
            Plan p = service.evacuation(h.name(), now);
            if (p.moves().isEmpty()) {
                String stuck = String.join("; ", p.notes());
                if (!stuck.isEmpty() && !stuck.equals(reported.put(h.name(), stuck))) {
                    journal.record(BalancingEvent.BALANCE_EVACUATE, h.name(), "host " + h.name() + " cannot be emptied yet: " + stuck);
                }
                continue;
            }
            reported.remove(h.name());
            List<Move> batch = p.moves().subList(0, Math.min(budget, p.moves().size())); // the rest next round
            if (batch.isEmpty()) continue;
            budget -= batch.size();
            done.addAll(service.apply(batch));
            journal.record(BalancingEvent.BALANCE_EVACUATE, h.name(), "evacuating " + batch.size() + " of " + p.moves().size() + " VM(s) from host " + h.name()
                    + (p.notes().isEmpty() ? "" : "; " + String.join("; ", p.notes())));
        }
        if (budget == 0) return done;
        Plan plan = service.planRound(now);
        List<Move> allowed = plan.moves().stream().filter(settings.automation()::executes).limit(budget).toList();
        if (!allowed.isEmpty()) {
            done.addAll(service.apply(allowed));
            journal.record(BalancingEvent.BALANCE_PLAN, "cluster", settings.mode().label() + " plan: " + allowed.size() + " of "
                    + plan.moves().size() + " move(s) carried out (automation " + settings.automation().label() + ")");
        }
        return done;
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("balancer round failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        synchronized (schedule) {
            if (timer != null) timer.shutdownNow();
            timer = null;
        }
    }
}
