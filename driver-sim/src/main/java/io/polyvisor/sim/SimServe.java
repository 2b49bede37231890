package io.polyvisor.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.MigrationResult;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated data centre served to other processes over loopback HTTP ({@code polyvisor sim-serve}), so several
 * servers can share it; they reach host H as {@code simremote://127.0.0.1:PORT/H} ({@link RemoteSimDriver}). It also
 * keeps the proof that no VM ever runs twice: how many times each VM was started (an actual power-on: a start of a
 * running VM is not counted) and every moment a VM was live on two hosts at once (checked after every call and by a
 * scan every 20 ms).
 *
 * <p>Protocol (plain text, tab-separated lines): {@code GET /HOST/alive|info|list|lookup?id=}, {@code POST
 * /HOST/define?id=&name=&vcpus=&memory=}, {@code POST /HOST/start|shutdown|destroy|reboot|suspend|resume|undefine?id=},
 * {@code POST /HOST/migrate?id=&to=HOST}; {@code GET /starts} (id, count), {@code GET /doubles} (id, hosts), {@code GET /alive} (the hosts that answer). A driver
 * error answers 409 with {@code retryable|fatal}, a newline and the message. Loopback only; no authentication: a test
 * and benchmark rig, not a product endpoint.
 */
public final class SimServe implements AutoCloseable {
    private final SimDatacenter dc;
    private final HttpServer http;
    private final Map<UUID, AtomicLong> starts = new ConcurrentHashMap<>();
    private final Map<UUID, String> doubles = new ConcurrentHashMap<>();
    private final Thread scan;
    private volatile boolean closed;

    private SimServe(SimDatacenter dc, HttpServer http) {
        this.dc = dc;
        this.http = http;
        this.scan = Thread.ofPlatform().daemon().name("sim-serve-scan").unstarted(this::scan);
    }

    /** Serves {@code dc} on 127.0.0.1:{@code port} (0: any free port). */
    public static SimServe start(SimDatacenter dc, int port) throws IOException {
        var http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        var s = new SimServe(dc, http);
        http.createContext("/", s::handle);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        s.scan.start();
        return s;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public SimDatacenter datacenter() {
        return dc;
    }

    /** Power-ons per VM so far. */
    public Map<UUID, Long> starts() {
        Map<UUID, Long> out = new HashMap<>();
        starts.forEach((id, n) -> out.put(id, n.get()));
        return out;
    }

    /** VMs seen live on two hosts at once, with those hosts. Must stay empty. */
    public Map<UUID, String> doubles() {
        return Map.copyOf(doubles);
    }

    private void scan() {
        while (!closed) {
            try {
                for (String h : dc.hosts()) {
                    HostConnection c = dc.connect(h);
                    for (DomainInfo d : c.compute().list()) check(d.id());
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a host crashed meanwhile: scan again
            }
        }
    }

    private void check(UUID id) {
        var on = dc.runningOn(id);
        if (on.size() > 1) doubles.put(id, String.join(",", on));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().substring(1).split("/");
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String body;
            int status = 200;
            try {
                body = parts.length == 1 ? global(parts[0]) : host(parts[0], parts[1], q);
            } catch (DriverException e) {
                status = 409;
                body = (e.retryable() ? "retryable" : "fatal") + "\n" + e.getMessage();
            } catch (RuntimeException e) {
                status = 400;
                body = "fatal\n" + e.getMessage();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) ex.getResponseBody().write(bytes);
        }
    }

    private String global(String what) {
        var b = new StringBuilder();
        switch (what) {
            case "starts" -> starts().forEach((id, n) -> b.append(id).append('\t').append(n).append('\n'));
            case "doubles" -> doubles().forEach((id, hosts) -> b.append(id).append('\t').append(hosts).append('\n'));
            case "hosts" -> dc.hosts().forEach(h -> b.append(h).append('\n'));
            case "alive" -> {
                return aliveHosts();
            }
            default -> throw new IllegalArgumentException("unknown path /" + what);
        }
        return b.toString();
    }

    private volatile String alive = "";
    private volatile long aliveAt;

    /**
     * {@code GET /alive}: the hosts that answer, one a line, for clients that probe many hosts of this data centre
     * (one call instead of one per host); computed at most every 20 ms.
     */
    private String aliveHosts() {
        if (System.nanoTime() - aliveAt > 20_000_000L) {
            var b = new StringBuilder();
            for (String h : dc.hosts()) {
                try {
                    if (dc.connect(h).alive()) b.append(h).append('\n');
                } catch (DriverException down) {
                    // a crashed host cannot even be connected to: not alive
                }
            }
            alive = b.toString();
            aliveAt = System.nanoTime();
        }
        return alive;
    }

    private String host(String host, String op, Map<String, String> q) {
        if (!dc.hosts().contains(host)) throw new DriverException("no sim host " + host + " in data centre " + dc.name());
        HostConnection c = dc.connect(host);
        UUID id = q.containsKey("id") ? UUID.fromString(q.get("id")) : null;
        switch (op) {
            case "alive":
                return c.alive() ? "1" : "0";
            case "info":
                var i = c.info();
                return String.join("\t", i.hostname(), i.hypervisor(), i.version(), "" + i.cpus(), "" + i.memoryBytes());
            case "list":
                var b = new StringBuilder();
                c.compute().list().forEach(d -> b.append(line(d)).append('\n'));
                return b.toString();
            case "lookup":
                return c.compute().lookup(id).map(SimServe::line).orElse("");
            case "define":
                return line(c.compute().define(id, q.get("name"), VmSpec.of(Integer.parseInt(q.get("vcpus")), Long.parseLong(q.get("memory")))));
            case "start", "resume": {
                boolean wasLive = c.compute().lookup(id).map(d -> d.state() == io.polyvisor.spi.PowerState.RUNNING).orElse(false);
                if (op.equals("start")) c.compute().start(id);
                else c.compute().resume(id);
                if (op.equals("start") && !wasLive) starts.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
                check(id);
                return "";
            }
            case "shutdown", "destroy", "reboot", "suspend", "undefine": {
                switch (op) {
                    case "shutdown" -> c.compute().shutdown(id);
                    case "destroy" -> c.compute().destroy(id);
                    case "reboot" -> c.compute().reboot(id);
                    case "suspend" -> c.compute().suspend(id);
                    default -> c.compute().undefine(id);
                }
                return "";
            }
            case "migrate": {
                MigrationResult r = c.migration().migrate(id, dc.connect(q.get("to")), p -> {});
                check(id);
                return r.totalMillis() + "\t" + r.downtimeMillis() + "\t" + r.bytesTransferred();
            }
            default:
                throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    static String line(DomainInfo d) {
        return d.id() + "\t" + d.name() + "\t" + d.state() + "\t" + d.vcpus() + "\t" + d.memoryBytes();
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() {
        closed = true;
        scan.interrupt();
        http.stop(0);
    }
}
