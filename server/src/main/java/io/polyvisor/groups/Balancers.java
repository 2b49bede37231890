package io.polyvisor.groups;

import io.polyvisor.autoscale.Group;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's HAProxy processes, one per group (each with its own configuration, endpoint and runtime socket,
 * so creating or deleting a group never reloads another's). Supervised: {@link #ensure} starts again one that
 * exited; its members are then added again by the controller, which finds HAProxy without them. All stop with
 * the server.
 */
final class Balancers implements AutoCloseable {
    /** Unix socket paths are limited to 107 bytes; longer data folders put the sockets in a private temp folder. */
    private static final int SOCKET_PATH_MAX = 100;

    private final Path root;
    private final GroupTiming timing;
    private final Map<String, Haproxy> running = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    Balancers(Path dataDir, GroupTiming timing) {
        Path r = dataDir.resolve("groups").toAbsolutePath();
        if (r.resolve("x".repeat(50)).resolve("admin.sock").toString().length() > SOCKET_PATH_MAX) {
            try {
                r = Files.createTempDirectory("polyvisor-groups");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.root = r;
        this.timing = timing;
    }

    /** Starts the group's HAProxy, replacing one already running; {@link BalancerFailed} if it cannot. */
    synchronized Haproxy start(Group g) {
        stop(g.name());
        try {
            Haproxy h = Haproxy.start(root.resolve(g.name()), g.name(), g.listenPort(), timing.checkInterval(), timing.fastCheck(), g.healthPath());
            running.put(g.name(), h);
            failures.remove(g.name());
            return h;
        } catch (BalancerFailed e) {
            failures.put(g.name(), e.getMessage());
            throw e;
        }
    }

    /** The running HAProxy of the group, started (again) if it is not running; the reason if it cannot be. */
    synchronized Result ensure(Group g) {
        Haproxy h = running.get(g.name());
        if (h != null && h.alive()) return new Result(h, false, null);
        try {
            return new Result(start(g), true, null);
        } catch (BalancerFailed e) {
            return new Result(null, true, e.getMessage());
        }
    }

    record Result(Haproxy haproxy, boolean started, String failure) {}

    Optional<Haproxy> get(String group) {
        return Optional.ofNullable(running.get(group)).filter(Haproxy::alive);
    }

    /** Why the group's HAProxy is not running, or null. */
    String failure(String group) {
        return failures.get(group);
    }

    synchronized void stop(String group) {
        Haproxy h = running.remove(group);
        failures.remove(group);
        if (h != null) h.close();
    }

    @Override
    public synchronized void close() {
        running.values().forEach(Haproxy::close);
        running.clear();
    }
}
