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
    private static boolean hookInstalled;

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
        try (var dirs = Files.list(BASE.getParent())) {
            for (var dir : dirs.filter(d -> d.getFileName().toString().matches("polyvisor-test-hosts-\\d+")).toList()) {
                long pid = Long.parseLong(dir.getFileName().toString().substring("polyvisor-test-hosts-".length()));
                if (ProcessHandle.of(pid).isEmpty()) run(dir, "down");
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
