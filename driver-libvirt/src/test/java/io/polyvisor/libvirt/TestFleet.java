package io.polyvisor.libvirt;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Extra libvirt hosts on this machine for tests, started and stopped through {@code scripts/test-hosts}
 * in a folder of this JVM's own ({@code /var/tmp/polyvisor-test-hosts-PID}, so test runs side by side do not
 * share or kill each other's hosts), and torn down when the JVM exits. Fails loudly (never skips) when the
 * script or libvirt is missing.
 */
public final class TestFleet {
    public static final Path BASE = Path.of("/var/tmp/polyvisor-test-hosts-" + ProcessHandle.current().pid());
    /** The namespaced fleet's folder (its own hosts, beside the default fleet's). */
    public static final Path NET_BASE = Path.of("/var/tmp/polyvisor-test-nethosts-" + ProcessHandle.current().pid());
    private static boolean hookInstalled;
    private static boolean netHookInstalled;

    private TestFleet() {}

    /** Hosts h1..hN (starting those not running), as URIs. */
    public static synchronized List<URI> up(int n) {
        if (!hookInstalled) {
            reapOrphans();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> run("down")));
            hookInstalled = true;
        }
        var uris = new ArrayList<URI>();
        for (var line : run("up", Integer.toString(n)).lines().toList()) {
            if (line.startsWith("qemu+unix://")) uris.add(URI.create(line.strip()));
        }
        if (uris.size() != n) throw new IllegalStateException("test-hosts up " + n + " gave " + uris);
        return uris;
    }

    /**
     * Hosts h1..hN of the namespaced fleet: each in its own network namespace on an underlay (scripts/test-hosts,
     * POLYVISOR_TEST_HOSTS_NETNS=1); the URIs carry {@code netns=} and {@code underlay=}.
     */
    public static synchronized List<URI> upNetworked(int n) {
        if (!netHookInstalled) {
            reapOrphans("polyvisor-test-nethosts-", true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> new Fleet(NET_BASE, true).run("down")));
            netHookInstalled = true;
        }
        var uris = new ArrayList<URI>();
        for (var line : new Fleet(NET_BASE, true).run("up", Integer.toString(n)).lines().toList()) {
            if (line.startsWith("qemu+unix://")) uris.add(URI.create(line.strip()));
        }
        if (uris.size() != n) throw new IllegalStateException("test-hosts up " + n + " gave " + uris);
        return uris;
    }

    /** Kills host {@code i} of the namespaced fleet (its namespace stays). */
    public static void killNetworked(int i) {
        new Fleet(NET_BASE, true).run("kill", Integer.toString(i));
    }

    /** A real host failure: kills host {@code i}'s QEMU processes and its daemon. */
    public static void kill(int i) {
        run("kill", Integer.toString(i));
    }

    /** The folder holding host {@code i}'s files ({@code log/qemu} has its serial logs). */
    public static Path hostDir(int i) {
        return BASE.resolve("h" + i);
    }

    /** Takes down fleets left by test JVMs that died without running their shutdown hook. */
    private static void reapOrphans() {
        reapOrphans("polyvisor-test-hosts-", false);
    }

    private static void reapOrphans(String prefix, boolean netns) {
        try (var dirs = Files.list(BASE.getParent())) {
            for (var dir : dirs.filter(d -> d.getFileName().toString().matches(prefix + "\\d+")).toList()) {
                long pid = Long.parseLong(dir.getFileName().toString().substring(prefix.length()));
                if (ProcessHandle.of(pid).isEmpty()) new Fleet(dir, netns).run("down");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + BASE.getParent(), e);
        }
    }

    private static String run(String... args) {
        return run(BASE, args);
    }

    private static String run(Path base, String... args) {
        return new Fleet(base).run(args);
    }
}
