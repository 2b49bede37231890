package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A way into a guest: runs a program inside it through its qemu-guest-agent ({@code guest-exec}, then
 * {@code guest-exec-status} until it exits), over the agent's virtio-serial channel that every QEMU domain Polyvisor
 * defines has ({@code org.qemu.guest_agent.0}). The tiny guest runs qemu-ga when its image has it. For tests and
 * operators' diagnostics (docs/NETWORKS.md): nothing crosses a network, so it works on guests with no reachable address.
 */
public final class GuestAgent {
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final Pattern EXITED = Pattern.compile("\"exited\"\\s*:\\s*true");
    private static final Pattern CODE = Pattern.compile("\"exitcode\"\\s*:\\s*(-?\\d+)");

    /** What the program did: its exit code and its standard output and error, as text. */
    public record Result(int exitCode, String out, String err) {}

    private GuestAgent() {}

    /**
     * Runs {@code path args...} in VM {@code vm} on {@code host} (a libvirt QEMU host) and waits up to {@code timeout}.
     *
     * @throws DriverException if the host is not a libvirt host, the guest has no agent, or the program did not exit in time
     */
    public static Result exec(HostConnection host, UUID vm, Duration timeout, String path, String... args) {
        if (!(host instanceof LibvirtConnection c)) throw new DriverException("guest-exec needs a libvirt host, got " + host.driver());
        var argv = new StringBuilder();
        for (String a : args) argv.append(argv.isEmpty() ? "" : ",").append(json(a));
        String start = "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":" + json(path) + ",\"arg\":[" + argv
                + "],\"capture-output\":true}}";
        String started = agent(c, vm, start, 10);
        Matcher pid = PID.matcher(started);
        if (!pid.find()) throw new DriverException("guest-exec gave no pid: " + started);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String status = agent(c, vm, "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid.group(1) + "}}", 10);
            if (EXITED.matcher(status).find()) {
                Matcher code = CODE.matcher(status);
                return new Result(code.find() ? Integer.parseInt(code.group(1)) : -1, data(status, "out-data"), data(status, "err-data"));
            }
            if (System.nanoTime() > deadline) throw new DriverException(path + " did not exit within " + timeout + " in vm " + vm);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("interrupted", true, e);
            }
        }
    }

    /**
     * As {@link #exec}, retrying for up to {@code within} while the guest's agent does not answer yet (the guest is
     * booting), each run waiting up to {@code timeout}.
     *
     * @throws DriverException the last failure, once {@code within} has passed
     */
    public static Result execWhenUp(HostConnection host, UUID vm, Duration within, Duration timeout, String... argv) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return exec(host, vm, timeout, argv[0], java.util.Arrays.copyOfRange(argv, 1, argv.length));
            } catch (DriverException agentNotUp) {
                if (System.nanoTime() > deadline) throw agentNotUp;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DriverException("interrupted", true, e);
                }
            }
        }
    }

    private static String agent(LibvirtConnection c, UUID vm, String command, int timeoutSeconds) {
        return c.call("guest agent", () -> ((LibvirtCompute) c.compute()).require(vm).qemuAgentCommand(command, timeoutSeconds, 0));
    }

    private static String data(String status, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"").matcher(status);
        return m.find() ? new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : "";
    }

    /** A JSON string literal. */
    static String json(String s) {
        var b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }

}
