package io.polyvisor.libvirt;

import io.polyvisor.spi.HostConnection;

import java.time.Duration;
import java.util.UUID;

/** Tests' way into a tiny guest: commands through its guest agent ({@link GuestAgent}), and HTTP asked from inside it. */
public final class InsideGuest {
    private InsideGuest() {}

    /** Runs {@code argv} in the guest, retrying for up to 90 s while its agent is not up yet (the guest is booting). */
    public static GuestAgent.Result run(HostConnection host, UUID vm, String... argv) {
        return GuestAgent.execWhenUp(host, vm, Duration.ofSeconds(90), Duration.ofSeconds(20), argv);
    }

    /**
     * The body of {@code GET http://ADDRESS/} asked from inside the guest, or null if nothing answered within 3 s.
     * Busybox's nc, not its wget: the static busybox's wget crashes (SIGSEGV) in the tiny guest.
     */
    public static String http(HostConnection host, UUID vm, String address) {
        return http(host, vm, address, 80);
    }

    /** As {@link #http(HostConnection, UUID, String)}, to {@code port}. */
    public static String http(HostConnection host, UUID vm, String address, int port) {
        var r = run(host, vm, "/bin/sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + address + " " + port);
        int body = r.out().indexOf("\r\n\r\n");
        return r.exitCode() == 0 && r.out().startsWith("HTTP/1.") && body > 0 ? r.out().substring(body + 4).strip() : null;
    }

    /** {@link #http} until it answers or {@code within} passes (then null). */
    public static String awaitHttp(HostConnection host, UUID vm, String address, Duration within) {
        return awaitHttp(host, vm, address, 80, within);
    }

    /** As above, to {@code port}. */
    public static String awaitHttp(HostConnection host, UUID vm, String address, int port, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            String got = http(host, vm, address, port);
            if (got != null || System.nanoTime() > deadline) return got;
            pause(200);
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
