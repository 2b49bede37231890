package io.polyvisor.libvirt;

import org.libvirt.LibvirtException;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the ACPI power button again every {@link #INTERVAL_SECONDS} s while a VM that was asked to shut
 * down still runs, for at most {@link #WINDOW_SECONDS} s. A press the guest missed (still booting, no
 * ACPI daemon yet) is otherwise lost for good; OpenStack Nova retries the same way. One schedule per VM.
 */
final class ShutdownRetries {
    static final int INTERVAL_SECONDS = 2;
    static final int WINDOW_SECONDS = 60;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "libvirt-shutdown-retries");
        t.setDaemon(true);
        return t;
    });

    private final LibvirtConnection host;
    private final Map<UUID, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    ShutdownRetries(LibvirtConnection host) {
        this.host = host;
    }

    void track(UUID id) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
        pending.computeIfAbsent(id, k -> TIMER.scheduleWithFixedDelay(() -> retry(id, until),
                INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS));
    }

    /** Stops retrying (the VM was destroyed, started again or undefined through Polyvisor). */
    void forget(UUID id) {
        var f = pending.remove(id);
        if (f != null) f.cancel(false);
    }

    private void retry(UUID id, long until) {
        try {
            var d = ((LibvirtCompute) host.compute()).find(id);
            if (d.isEmpty() || d.get().isActive() == 0 || System.nanoTime() > until) {
                forget(id);
                return;
            }
            d.get().shutdown();
        } catch (LibvirtException | RuntimeException e) {
            forget(id);
        }
    }
}
