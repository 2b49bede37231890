package io.polyvisor.libvirt;

import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;

/**
 * libvirt's default event loop, run once per JVM on a daemon thread. It must be registered before the
 * first connection is opened, or event registration fails ("could not initialize domain event timer");
 * it also drives keepalive, so a dead remote daemon is noticed. Event callbacks run on this thread.
 */
final class EventLoop {
    private static boolean started;

    private EventLoop() {}

    static synchronized void ensureStarted() {
        if (started) return;
        try {
            // libvirt prints every error to stderr unless a callback is set; errors reach us as exceptions anyway.
            Connect.setErrorCallback((userData, error) -> { });
            Library.initEventLoop();
        } catch (LibvirtException e) {
            throw new IllegalStateException("libvirt event loop could not start: " + e.getMessage(), e);
        }
        var t = new Thread(EventLoop::run, "libvirt-event-loop");
        t.setDaemon(true);
        t.start();
        started = true;
    }

    private static void run() {
        try {
            Library.runEventLoop();
        } catch (LibvirtException e) {
            System.err.println("libvirt event loop stopped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
