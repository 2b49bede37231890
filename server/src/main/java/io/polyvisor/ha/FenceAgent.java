package io.polyvisor.ha;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fence agent the way Pacemaker does: no arguments, {@code action=off} and the configured options as
 * {@code key=value} lines on standard input; exit status 0 means the target is off. A timeout or any other
 * status is a failure, reported with the agent's last output line (secrets are never echoed: they only go to
 * the agent's stdin).
 */
final class FenceAgent implements FenceMethod {
    /** Where a bare agent name is looked up, in order. */
    static final List<Path> SEARCH = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/sbin"));

    private final FenceConfig config;
    private final Duration timeout;

    FenceAgent(FenceConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return Path.of(config.agent()).getFileName().toString();
    }

    @Override
    public void fence(String host) throws Failed {
        run("off");
    }

    /** Runs the agent with {@code action}; returns its output on exit status 0. */
    String run(String action) throws Failed {
        Path program = resolve();
        Process p;
        try {
            p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new Failed(name() + " could not be started: " + e.getMessage());
        }
        try (var in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            in.write("action=" + action + "\n");
            for (var e : config.options().entrySet()) in.write(e.getKey() + "=" + e.getValue() + "\n");
        } catch (IOException e) {
            p.destroyForcibly();
            throw new Failed(name() + " did not accept its options: " + e.getMessage());
        }
        try {
            var output = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> output.append(readAll(p.getInputStream())));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new Failed(name() + " did not finish within " + timeout.toMillis() + " ms");
            }
            reader.join(1_000);
            if (p.exitValue() != 0) {
                throw new Failed(name() + " " + action + " exited with status " + p.exitValue() + lastLine(scrub(output.toString())));
            }
            return output.toString();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failed(name() + " was interrupted");
        }
    }

    /** The program to run: an absolute path, or the name found in {@link #SEARCH}; refused unless {@link AgentTrust} allows it. */
    private Path resolve() throws Failed {
        Path agent = Path.of(config.agent());
        Path found = null;
        if (agent.isAbsolute()) {
            found = agent;
        } else {
            for (Path dir : SEARCH) {
                if (Files.isExecutable(dir.resolve(agent))) {
                    found = dir.resolve(agent);
                    break;
                }
            }
            if (found == null) throw new Failed("fence agent " + agent + " is not installed in " + SEARCH + " (Debian package fence-agents)");
        }
        var refusal = AgentTrust.refusal(found);
        if (refusal.isPresent()) throw new Failed(refusal.get());
        return found;
    }

    /** The output with every secret option value replaced, in case an agent echoes one. */
    private String scrub(String out) {
        for (var e : config.options().entrySet()) {
            if (FenceConfig.secret(e.getKey()) && !e.getValue().isEmpty()) out = out.replace(e.getValue(), "***");
        }
        return out;
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (last.isEmpty()) return "";
        return ": " + (last.length() > 200 ? last.substring(0, 200) + "..." : last);
    }
}
