package io.polyvisor.feature;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A controller that runs {@code work} at start and then every {@code interval} on a daemon thread named {@code name},
 * until closed. A failed round is logged and the next one runs on time; close interrupts the wait and joins the thread
 * (at most 5 s).
 */
final class Periodic implements Controller {
    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private final String name;
    private final Duration interval;
    private final Runnable work;
    private final Thread thread;
    private volatile boolean stopping;

    Periodic(String name, Duration interval, Runnable work) {
        this.name = name;
        this.interval = interval;
        this.work = work;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop() {
        while (!stopping) {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("{} round failed; next in {}", name, interval, e);
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
            if (thread.isAlive()) thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
