package io.polyvisor.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Extra libvirt hosts on this machine ({@code scripts/test-hosts}: one libvirtd each, private mount namespace,
 * own host UUID), kept in folder {@code base}, for tests, demos and benchmarks. The script is found above the
 * working folder or above the jar. Throws (never pretends) when it is missing or fails.
 */
public final class Fleet {
    private final Path base;
    private final Path script;
    private final boolean netns;

    public Fleet(Path base) {
        this(base, false);
    }

    /** @param netns each host in its own network namespace, joined by an underlay (the script's opt-in mode) */
    public Fleet(Path base, boolean netns) {
        this.base = base;
        this.script = find("scripts/test-hosts");
        this.netns = netns;
    }

    /** The folder holding the hosts' files. */
    public Path base() {
        return base;
    }

    /** Hosts h1..hN (starting those not running), as libvirt URIs. */
    public List<String> up(int n) {
        var uris = new ArrayList<String>();
        for (String line : run("up", Integer.toString(n)).lines().toList()) if (line.startsWith("qemu+unix://")) uris.add(line.strip());
        if (uris.size() != n) throw new IllegalStateException("scripts/test-hosts up " + n + " gave " + uris);
        return uris;
    }

    /** A real host failure: kills host {@code i}'s QEMU processes and its daemon. */
    public void kill(int i) {
        run("kill", Integer.toString(i));
    }

    public void down() {
        run("down");
    }

    /** A file of the repository's {@code scripts/} folder, e.g. the test fleet's fence agent. */
    public static Path find(String relative) {
        var starts = new ArrayList<Path>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(Fleet.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
        } catch (Exception ignored) {
            // no code source: the working folder only
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path p = dir.resolve(relative);
                if (Files.isExecutable(p)) return p;
            }
        }
        throw new IllegalStateException(relative + " not found above " + starts + "; run from the Polyvisor repository");
    }

    /** Runs {@code scripts/test-hosts ARGS} on this fleet's folder and returns what it printed. */
    public String run(String... args) {
        var cmd = new ArrayList<String>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        try {
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("POLYVISOR_TEST_HOSTS", base.toString());
            pb.environment().put("POLYVISOR_TEST_HOSTS_NETNS", netns ? "1" : "0");
            var p = pb.start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/test-hosts " + String.join(" ", args) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/test-hosts: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
