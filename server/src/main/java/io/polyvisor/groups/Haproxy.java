package io.polyvisor.groups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One group's HAProxy (Debian's {@code haproxy}): a child process of the server in the foreground, bound to
 * 127.0.0.1:{@code listenPort}, with one backend whose servers are the group's members. The configuration is
 * written once at start; members are added, enabled, drained and removed through the {@link RuntimeApi}, never
 * by a reload.
 *
 * <p>A member is added in maintenance with HTTP health checks running (HAProxy checks servers in maintenance
 * too); it is enabled only once HAProxy's own check of it passed ({@link Server#checkPassed()}), so it enters
 * rotation after its health check and never before. Drain stops new requests to it while those in flight finish.
 */
final class Haproxy implements AutoCloseable {
    static final String BACKEND = "members";
    static final String FRONTEND = "endpoint";

    /** One member as HAProxy reports it. */
    record Server(String name, String status, String checkStatus, int sessions) {
        /** In rotation: up (or going down), not in maintenance nor draining. */
        boolean inRotation() {
            return status.startsWith("UP");
        }

        boolean maintenance() {
            return status.startsWith("MAINT");
        }

        boolean draining() {
            return status.startsWith("DRAIN");
        }

        /** HAProxy's last health check of it succeeded (layer 7, or layer 4 for a check without HTTP). */
        boolean checkPassed() {
            return checkStatus.equals("L7OK") || checkStatus.equals("L4OK");
        }
    }

    private final Process process;
    private final RuntimeApi api;
    private final Path dir;
    private final Duration checkInterval;
    private final Duration fastCheck;

    private Haproxy(Process process, RuntimeApi api, Path dir, Duration checkInterval, Duration fastCheck) {
        this.process = process;
        this.api = api;
        this.dir = dir;
        this.checkInterval = checkInterval;
        this.fastCheck = fastCheck;
    }

    /** {@link #start(Path, String, int, Duration, Duration, String)} with members checked every {@code checkInterval} in any state. */
    static Haproxy start(Path dir, String group, int listenPort, Duration checkInterval, String healthPath) {
        return start(dir, group, listenPort, checkInterval, checkInterval, healthPath);
    }

    /**
     * Writes the configuration into {@code dir} and starts HAProxy; returns once its runtime API answers. Members are
     * checked every {@code checkInterval} once fully up, and every {@code fastCheck} while joining or down.
     *
     * @throws BalancerFailed if HAProxy is not installed, refuses the configuration or exits (the port is in use,
     *                        say); no process is left behind
     */
    static Haproxy start(Path dir, String group, int listenPort, Duration checkInterval, Duration fastCheck, String healthPath) {
        try {
            Files.createDirectories(dir);
            Path socket = dir.resolve("admin.sock");
            Files.deleteIfExists(socket);
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(group, listenPort, socket, healthPath), StandardCharsets.UTF_8);
            Path log = dir.resolve("haproxy.log");
            Process p;
            try {
                p = new ProcessBuilder(binary(), "-db", "-f", cfg.toString()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new BalancerFailed("cannot run haproxy (" + e.getMessage() + "); install it with scripts/haproxy-up");
            }
            var api = new RuntimeApi(socket);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                if (!p.isAlive()) throw new BalancerFailed("HAProxy for group " + group + " exited: " + lastLines(log));
                if (Files.exists(socket)) {
                    try {
                        if (api.command("show info").contains("Name: HAProxy")) return new Haproxy(p, api, dir, checkInterval, fastCheck);
                    } catch (UncheckedIOException notYet) {
                        // the socket file appears before HAProxy accepts on it
                    }
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new BalancerFailed("HAProxy for group " + group + " did not answer within 10 s: " + lastLines(log));
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare HAProxy in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BalancerFailed("interrupted while starting HAProxy for group " + group);
        }
    }

    private static String binary() {
        for (String p : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")) if (Files.isExecutable(Path.of(p))) return p;
        return "haproxy";
    }

    /**
     * The whole configuration: global (admin socket, owner-only), HTTP defaults, the endpoint on 127.0.0.1 and an
     * empty backend with HTTP health checks. {@code http-server-close} leaves no idle connection to a member, so a
     * drained member can be deleted as soon as its last request is answered. {@code timeout check} gives a check 2 s
     * to answer whatever its interval (without it a check must finish within the 200 ms fast interval, which a busy
     * guest may miss).
     */
    static String config(String group, int listenPort, Path socket, String healthPath) {
        return """
                # written by Polyvisor for group %s; membership changes go through the runtime API, not this file
                global
                    stats socket %s mode 600 level admin
                    maxconn 4096
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout queue 10s
                    timeout check 2s
                    option http-server-close
                    retries 2
                    option redispatch
                frontend %s
                    bind 127.0.0.1:%d
                    default_backend %s
                backend %s
                    balance roundrobin
                    option httpchk GET %s
                """.formatted(group, socket, FRONTEND, listenPort, BACKEND, BACKEND, healthPath);
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Adds a member in maintenance at 127.0.0.1:{@code port} with health checks running; a no-op if present. Checks run
     * every {@code fastCheck} until the member is fully up ({@code fastinter}, {@code downinter}), then every
     * {@code checkInterval}; {@code rise 1}: one passing check makes it eligible for rotation, {@code fall 2}: two
     * failed checks in a row take it out.
     */
    void add(String server, int port) {
        api.expect("add server " + BACKEND + "/" + server + " 127.0.0.1:" + port + " check inter " + checkInterval.toMillis()
                + "ms fastinter " + fastCheck.toMillis() + "ms downinter " + fastCheck.toMillis() + "ms rise 1 fall 2",
                "New server registered", "Already exists");
        api.expect("enable health " + BACKEND + "/" + server);
    }

    /** Puts a member whose check passed into rotation. */
    void enable(String server) {
        api.expect("set server " + BACKEND + "/" + server + " state ready");
    }

    /** No new requests to the member; those in flight finish. */
    void drain(String server) {
        api.expect("set server " + BACKEND + "/" + server + " state drain");
    }

    /** Takes the member out (maintenance) and deletes it; false when HAProxy still holds connections to it (try again). */
    boolean remove(String server) {
        api.expect("set server " + BACKEND + "/" + server + " state maint");
        String answer = api.command("del server " + BACKEND + "/" + server);
        if (answer.startsWith("Server deleted") || answer.contains("No such server")) return true;
        return false;
    }

    /** Every member HAProxy knows, by name. */
    Map<String, Server> servers() {
        var out = new LinkedHashMap<String, Server>();
        for (Map<String, String> row : api.stat()) {
            if (!BACKEND.equals(row.get("pxname"))) continue;
            String name = row.get("svname");
            if (name.equals("BACKEND")) continue;
            out.put(name, new Server(name, row.getOrDefault("status", ""), row.getOrDefault("check_status", "").replace("*", ""),
                    parse(row.get("scur"))));
        }
        return out;
    }

    /** HTTP requests per second the endpoint received over the last second. */
    double requestRate() {
        for (Map<String, String> row : api.stat()) {
            if (FRONTEND.equals(row.get("pxname")) && "FRONTEND".equals(row.get("svname"))) return parse(row.get("req_rate"));
        }
        return 0;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int parse(String s) {
        try {
            return s == null || s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
