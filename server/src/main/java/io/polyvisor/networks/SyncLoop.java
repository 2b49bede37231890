package io.polyvisor.networks;

import io.polyvisor.feature.Controller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Runs a {@link NetworkSync} round every interval on a daemon thread, until closed. */
final class SyncLoop implements Controller {
    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);

    private final NetworkSync sync;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean stopping;

    SyncLoop(NetworkSync sync, Duration interval) {
        this.sync = sync;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("network-sync").unstarted(this::loop);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop() {
        while (!stopping) {
            try {
                sync.round();
            } catch (RuntimeException e) {
                log.warn("network sync round failed: {}", e.toString());
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
