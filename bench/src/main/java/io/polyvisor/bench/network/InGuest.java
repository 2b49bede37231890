package io.polyvisor.bench.network;

import io.polyvisor.libvirt.GuestAgent;
import io.polyvisor.spi.HostConnection;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The bench's measurements, each taken inside a tiny guest with its busybox tools through the guest agent
 * ({@link GuestAgent}): nothing is sent from this machine's namespace, and the clock that times a transfer is the
 * guest's own. Addresses and numbers are the only values put into the commands.
 */
final class InGuest {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final Pattern REAL = Pattern.compile("real\\s+(?:(\\d+)h\\s*)?(\\d+)m\\s*([0-9.]+)s");
    private static final String PROBE = "/tmp/probe";

    private final HostConnection host;
    private final UUID vm;

    InGuest(HostConnection host, UUID vm) {
        this.host = host;
        this.vm = vm;
    }

    /** One measured transfer: bytes received and the guest's wall time for them. */
    record Transfer(long bytes, double seconds) {
        double megabitsPerSecond() {
            return bytes * 8 / seconds / 1e6;
        }
    }

    /** An outage probe's result: what ping printed and how long it ran by the guest's clock. */
    record Probe(PingLog log, double seconds) {
        /** The mean time between two requests. */
        double intervalSeconds() {
            if (log.transmitted() < 2) throw new IllegalStateException("the probe sent " + log.transmitted() + " requests");
            return seconds / log.transmitted();
        }

        /** The longest time without an answer, to within one interval. */
        double outageSeconds() {
            return log.longestGap() * intervalSeconds();
        }
    }

    GuestAgent.Result sh(String script, Duration timeout) {
        var r = GuestAgent.execWhenUp(host, vm, BOOT, timeout, "/bin/sh", "-c", script);
        if (r.exitCode() != 0) throw new IllegalStateException("in vm " + vm + ": `" + script + "` exited " + r.exitCode() + ": " + r.err() + r.out());
        return r;
    }

    /** Makes {@code /www/blob} ({@code mib} MiB) for the guest's httpd to serve. */
    void serveBlob(int mib) {
        sh("dd if=/dev/zero of=/www/blob bs=1048576 count=" + mib + "", Duration.ofSeconds(60));
    }

    /** {@code GET /} from {@code address}: the body, or null when nothing answered within 3 s. */
    String http(String address) {
        var r = GuestAgent.execWhenUp(host, vm, BOOT, Duration.ofSeconds(20), "/bin/sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + address + " 80");
        int body = r.out().indexOf("\r\n\r\n");
        return r.exitCode() == 0 && r.out().startsWith("HTTP/1.") && body > 0 ? r.out().substring(body + 4).strip() : null;
    }

    /** Fetches {@code /blob} from {@code address} with busybox nc, timed by busybox time. */
    Transfer fetchBlob(String address) {
        var r = GuestAgent.execWhenUp(host, vm, BOOT, Duration.ofSeconds(300), "/bin/time", "/bin/sh", "-c",
                "printf 'GET /blob HTTP/1.0\\r\\n\\r\\n' | nc " + address + " 80 | wc -c");
        if (r.exitCode() != 0) throw new IllegalStateException("fetching the blob from " + address + " exited " + r.exitCode() + ": " + r.err());
        var real = REAL.matcher(r.err());
        if (!real.find()) throw new IllegalStateException("busybox time printed no real time: " + r.err());
        double s = (real.group(1) == null ? 0 : Integer.parseInt(real.group(1)) * 3600) + Integer.parseInt(real.group(2)) * 60
                + Double.parseDouble(real.group(3));
        return new Transfer(Long.parseLong(r.out().strip()), s);
    }

    /** {@code count} pings to {@code address}, {@code interval} seconds apart. */
    PingLog ping(String address, int count, double interval) {
        return PingLog.parse(sh("ping -c " + count + " -i " + interval + " " + address, Duration.ofSeconds(120)).out());
    }

    /** Starts pinging {@code address} every 10 ms in the background, until {@link #stopProbe()}. */
    void startProbe(String address) {
        sh("cat /proc/uptime > " + PROBE + ".t0; ping -i 0.01 " + address + " > " + PROBE + ".log 2>&1 </dev/null & echo $! > "
                + PROBE + ".pid", Duration.ofSeconds(20));
    }

    /** Stops the probe and reads what it saw. */
    Probe stopProbe() {
        String out = sh("kill -INT $(cat " + PROBE + ".pid); cat /proc/uptime > " + PROBE + ".t1; sleep 0.5; cat " + PROBE + ".t0 "
                + PROBE + ".t1 " + PROBE + ".log", Duration.ofSeconds(20)).out();
        var lines = out.lines().toList();
        double t0 = Double.parseDouble(lines.get(0).split(" ")[0]);
        double t1 = Double.parseDouble(lines.get(1).split(" ")[0]);
        return new Probe(PingLog.parse(out), t1 - t0);
    }
}
