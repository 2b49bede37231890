package io.polyvisor.retention;

import io.polyvisor.feature.Controller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Runs a retention pass at start and then every {@code interval}; a failed pass is logged and tried again next time. */
final class RetentionController implements Controller {
    private static final Logger log = LoggerFactory.getLogger(RetentionController.class);

    private final Pruner pruner;
    private final Duration interval;
    private final Thread loop;
    private volatile boolean stopping;

    RetentionController(Pruner pruner, Duration interval) {
        this.pruner = pruner;
        this.interval = interval;
        this.loop = Thread.ofPlatform().daemon().name("retention").unstarted(this::run);
    }

    @Override
    public void start() {
        loop.start();
    }

    private void run() {
        while (!stopping) {
            try {
                pruner.prune();
            } catch (RuntimeException e) {
                log.warn("retention pass failed; trying again in {}", interval, e);
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
        loop.interrupt();
        try {
            if (loop.isAlive()) loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
