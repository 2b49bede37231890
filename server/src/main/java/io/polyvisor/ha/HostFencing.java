package io.polyvisor.ha;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * Runs host fences off the controller thread (a fence agent may take seconds) and hands their outcomes back
 * to the next tick. At most one fence per host is in flight.
 */
final class HostFencing {
    record Done(String host, FenceOutcome outcome) {}

    private final Fencer fencer;
    private final Executor executor;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();

    HostFencing(Fencer fencer, Executor executor) {
        this.fencer = fencer;
        this.executor = executor;
    }

    /** Starts fencing {@code host} unless a fence of it is already running; returns whether it started. */
    boolean start(String host) {
        if (!inFlight.add(host)) return false;
        executor.execute(() -> {
            // whatever happens, the attempt ends with an outcome and frees the host: a fence that vanished would
            // leave the host "fencing" for good and its VMs never restarted
            FenceOutcome outcome = new FenceOutcome.Failed("fencing did not finish");
            try {
                outcome = fencer.fence(host);
            } catch (RuntimeException | Error e) {
                outcome = new FenceOutcome.Failed("fencing crashed: " + e);
                if (e instanceof VirtualMachineError) throw e;
            } finally {
                done.add(new Done(host, outcome));
                inFlight.remove(host);
            }
        });
        return true;
    }

    /** Outcomes finished since the last call, oldest first. */
    java.util.List<Done> drain() {
        var out = new java.util.ArrayList<Done>();
        Done d;
        while ((d = done.poll()) != null) out.add(d);
        return out;
    }

    boolean fencing(String host) {
        return inFlight.contains(host);
    }

    static Map<String, String> describe(FenceOutcome o) {
        return switch (o) {
            case FenceOutcome.Fenced f -> Map.of("method", f.method());
            case FenceOutcome.Failed f -> Map.of("reason", f.reason());
        };
    }
}
