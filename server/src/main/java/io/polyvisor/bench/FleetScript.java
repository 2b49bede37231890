package io.polyvisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/test-hosts} (real libvirt hosts on this machine) for benchmarks, in a folder of their own.
 * The script is found above the working folder or above the jar. Throws (never pretends) when it is missing.
 */
final class FleetScript {
    final Path base;
    private final Path script;

    FleetScript(Path base) {
        this.base = base;
        this.script = find("scripts/test-hosts");
    }

    List<String> up(int n) {
        var uris = new ArrayList<String>();
        for (String line : run("up", Integer.toString(n)).lines().toList()) if (line.startsWith("qemu+unix://")) uris.add(line.strip());
        if (uris.size() != n) throw new IllegalStateException("scripts/test-hosts up " + n + " gave " + uris);
        return uris;
    }

    void kill(int i) {
        run("kill", Integer.toString(i));
    }

    void down() {
        run("down");
    }

    /** A file of the repository's {@code scripts/} folder, e.g. the test fleet's fence agent. */
    static Path find(String relative) {
        var starts = new ArrayList<Path>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(FleetScript.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
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

    private String run(String... args) {
        var cmd = new ArrayList<String>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        try {
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("POLYVISOR_TEST_HOSTS", base.toString());
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
