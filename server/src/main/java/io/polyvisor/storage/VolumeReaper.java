package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.events.Journal;
import io.polyvisor.feature.Controller;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every second: a volume whose VM now runs on another host (a live migration copied its disks) is recorded on that
 * host; a volume whose VM is gone (row deleted, or state deleted) is detached, or deleted from its host when it
 * was made with the VM ({@code vm create --image}). The VM's domain is undefined before its row goes, so the volume is
 * no longer in use. A host that cannot be reached is tried again the next round; the row stays until then.
 */
final class VolumeReaper implements Controller {
    private static final Logger log = LoggerFactory.getLogger(VolumeReaper.class);

    private final Store store;
    private final Journal journal;
    private final HostStorage hosts;
    private ScheduledExecutorService timer;

    VolumeReaper(Store store, Journal journal, HostStorage hosts) {
        this.store = store;
        this.journal = journal;
        this.hosts = hosts;
    }

    @Override
    public synchronized void start() {
        if (timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("volume-reaper").unstarted(r));
        timer.scheduleWithFixedDelay(this::sweepQuietly, 1, 1, TimeUnit.SECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("volume sweep failed: {}", e.toString());
        }
    }

    /** One round; for tests. */
    void sweep() {
        for (Volume v : store.volumes()) {
            if (v.vm() == null) continue;
            var vm = store.vm(v.vm());
            if (vm.isPresent() && !(vm.get().state() instanceof VmState.Deleted)) {
                String host = vm.get().host();
                if (host != null && !host.equals(v.host()) && !(vm.get().state() instanceof VmState.Migrating)) moved(v, host);
                continue;
            }
            if (v.deleteWithVm()) {
                try {
                    hosts.runOn(v, "delete volume " + v.name(), s -> s.deleteVolume(v.name()));
                } catch (Refusal unreachable) {
                    continue;
                }
                store.inTransaction(tx -> {
                    tx.deleteVolume(v.name());
                    journal.record(tx, StorageEvent.VOLUME_DELETED, v.name(), "volume " + v.name() + " deleted with its VM");
                    return null;
                });
            } else {
                store.inTransaction(tx -> {
                    tx.volume(v.name()).ifPresent(now -> tx.updateVolume(now.detached()));
                    journal.record(tx, StorageEvent.VOLUME_DETACHED, v.name(), "volume " + v.name() + " detached: its VM was deleted");
                    return null;
                });
            }
        }
    }

    private void moved(Volume v, String host) {
        store.inTransaction(tx -> {
            tx.volume(v.name()).ifPresent(now -> tx.updateVolume(now.onHost(host)));
            journal.record(tx, StorageEvent.VOLUME_MOVED, v.name(), v.shared()
                    ? "volume " + v.name() + " (shared pool " + v.pool() + ") is now used from host " + host + ", where its VM runs"
                    : "volume " + v.name() + " moved from host " + v.host() + " to host " + host + " with its VM");
            return null;
        });
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }
}
