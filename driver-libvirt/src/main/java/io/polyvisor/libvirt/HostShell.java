package io.polyvisor.libvirt;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Unsupported;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the driver runs host-side network commands ({@code ip}, {@code bridge}) for a libvirt host. Explicit per host:
 * The commands: {@code ip}, {@code bridge} (private networks) and {@code nft -f -} (security groups, with the ruleset on
 * standard input, built from validated typed values only).
 * <ul>
 *   <li>a host on this machine with {@code netns=NAME} (the test fleet's namespaced mode): {@code ip netns exec NAME CMD},
 *       so every device is made inside that host's network namespace, where its libvirtd makes the guests' taps;</li>
 *   <li>a host on this machine without it: the command runs here, in this process's namespace (a one-machine deployment);</li>
 *   <li>a remote host ({@code qemu+ssh://...} and the like): not implemented; {@link Unsupported} with the reason.</li>
 * </ul>
 * Commands are argument lists, never shell text: no value is ever parsed by a shell.
 */
interface HostShell {
    /** Runs {@code argv} on the host with {@code stdin} (null: none); returns its standard output. Throws {@link DriverException} if it fails. */
    String run(List<String> argv, String stdin);

    default String run(List<String> argv) {
        return run(argv, null);
    }

    static HostShell of(HostUri uri) {
        if (!uri.localFiles()) {
            return (argv, stdin) -> {
                throw new Unsupported(LibvirtDriver.NAME, Capability.NETWORKING, "private networks on remote host " + uri.libvirt()
                        + ": host-side commands (ip, bridge) over ssh are not implemented");
            };
        }
        List<String> prefix = uri.netns() == null ? List.of() : List.of("ip", "netns", "exec", uri.netns());
        return (argv, stdin) -> local(prefix, argv, stdin);
    }

    private static String local(List<String> prefix, List<String> argv, String stdin) {
        var cmd = new ArrayList<>(prefix);
        cmd.addAll(argv);
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DriverException("host command timed out: " + String.join(" ", cmd), true, null);
            }
            if (p.exitValue() != 0) {
                throw new DriverException("host command failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + ": " + err.strip());
            }
            return out;
        } catch (IOException e) {
            throw new DriverException("cannot run host command " + String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted running " + String.join(" ", cmd), true, e);
        }
    }
}
