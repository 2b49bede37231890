package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.model.VmSpec;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.sim.SimClock;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.SimSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The control plane's own cost, on the simulator with realistic driver latencies, each figure beside a
 * baseline measured in the same run:
 * <ul>
 *   <li>create to running through the REST API (validate, place, one transaction, task pick-up, define, start,
 *       state writes and events) vs the same define + start called on the driver directly;</li>
 *   <li>GET of one VM vs GET /healthz (the HTTP floor); list of all VMs; delete to gone vs driver destroy + undefine.</li>
 * </ul>
 * A server runs in this process on an ephemeral port with embedded H2 in a temporary folder. Clients learn that
 * their create or delete task ended from the server's event stream ({@link TaskWatch}), as a watching client would.
 *
 * <p>Before its workloads the server runs {@link Settings#warmup()} create/delete cycles untimed: a control plane runs
 * warm, and without them the first seconds of a 1,000-VM run measure the JIT more than the code.
 *
 * <p>{@link #createsBound}: with {@code c} clients each creating VMs one after another, creates per second can be at
 * most {@code c} divided by the driver's own define + start time, which the baseline measures in the same run.
 */
public final class ApiBench {
    /** @param warmup create+delete cycles run untimed on the server before its workloads (so the JIT compiled them) */
    /** {@code db}: a PostgreSQL URL to run the server on (in a scratch schema, dropped after), or null for embedded H2. */
    public record Settings(int vms, int concurrency, int hosts, int warmup, String db, String dbUser, String dbPassword) {
        public Settings(int vms, int concurrency, int hosts, int warmup) {
            this(vms, concurrency, hosts, warmup, null, null, null);
        }
    }

    /**
     * One workload's figures. {@code cpuMillisPerOp}: CPU time of this whole process (server, simulated hosts and the
     * clients alike) over the workload, per operation: what an operation costs, which, unlike its rate, other load on
     * the machine hardly changes.
     */
    public record Result(String workload, String description, int ops, int concurrency, double seconds, double p50Millis,
                         double p99Millis, String baseline, double cpuMillisPerOp) {
        public double opsPerSecond() {
            return ops / seconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CREATE = "api_create_to_running";
    static final String DRIVER_CREATE = "driver_define_start";

    private ApiBench() {}

    /** Creates per second if the control plane cost nothing: clients / the driver's median define + start time. */
    static double createsBound(Result driverCreate) {
        return Math.min(driverCreate.concurrency(), driverCreate.ops()) / (driverCreate.p50Millis() / 1000);
    }

    public static List<Result> run(Settings s) throws Exception {
        String dc = "bench" + UUID.randomUUID().toString().substring(0, 8);
        var sim = SimDatacenter.create(dc, 1, SimClock.real(), SimSettings.realistic());
        for (int h = 1; h <= s.hosts(); h++) sim.addHost("h" + h, 64, 256L << 30);
        List<Result> out = new ArrayList<>();
        Path data = Files.createTempDirectory("polyvisor-bench");
        // not closed by try-with-resources: HttpClient.close() waits for every exchange to end, and the event
        // stream's can hang it after the server is gone; shutdownNow() below ends them
        HttpClient http = HttpClient.newHttpClient();
        try (ExecutorService pool = Executors.newFixedThreadPool(s.concurrency())) {
            UUID[] direct = new UUID[s.vms()];
            out.add(measure(DRIVER_CREATE, "baseline: define + start on the sim driver directly", s, pool, i -> () -> {
                direct[i] = UUID.randomUUID();
                try (var c = sim.connect("h" + (1 + i % s.hosts()))) {
                    c.compute().define(direct[i], "base" + i, VmSpec.of(1, 64L << 20));
                    c.compute().start(direct[i]);
                }
            }, null));
            out.add(measure("driver_destroy_undefine", "baseline: destroy + undefine on the sim driver directly", s, pool, i -> () -> {
                try (var c = sim.connect("h" + (1 + i % s.hosts()))) {
                    c.compute().destroy(direct[i]);
                    c.compute().undefine(direct[i]);
                }
            }, null));

            BenchDatabase pg = s.db() == null ? null : BenchDatabase.postgres(s.db(), s.dbUser(), s.dbPassword());
            ServerConfig config = ServerConfig.of(data).withPort(0);
            if (pg != null) config = config.withDatabase(pg.target().url(), s.dbUser(), s.dbPassword());
            RunningServer server = PolyvisorServer.start(config);
            try (var watch = new TaskWatch(http, server.url().toString(), server.token())) {
                var api = new Api(http, server.url().toString(), server.token());
                for (int h = 1; h <= s.hosts(); h++) api.send("POST", "/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h" + h + "\"}", 201);
                if (s.warmup() > 0) {
                    measure("warmup", "untimed", new Settings(s.warmup(), s.concurrency(), s.hosts(), 0, null, null, null), pool, i -> () -> {
                        var created = watch.expect("create", "warm" + i);
                        api.send("POST", "/api/v1/vms", "{\"name\":\"warm" + i + "\",\"memory\":\"64M\"}", 202);
                        TaskWatch.await(created, "create warm" + i, 120);
                        var deleted = watch.expect("delete", "warm" + i);
                        api.send("DELETE", "/api/v1/vms/warm" + i, null, 202);
                        TaskWatch.await(deleted, "delete warm" + i, 120);
                    }, null);
                }
                out.add(measure(CREATE, "POST /api/v1/vms until its create task succeeded (the VM runs)", s, pool, i -> () -> {
                    var done = watch.expect("create", "vm" + i);
                    api.send("POST", "/api/v1/vms", "{\"name\":\"vm" + i + "\",\"memory\":\"64M\"}", 202);
                    TaskWatch.await(done, "create vm" + i, 120);
                }, DRIVER_CREATE));
                out.add(measure("http_healthz", "baseline: GET /healthz (HTTP round trip floor)", s, pool,
                        i -> () -> api.send("GET", "/healthz", null, 200), null));
                out.add(measure("api_get_vm", "GET /api/v1/vms/NAME", s, pool,
                        i -> () -> api.send("GET", "/api/v1/vms/vm" + i, null, 200), "http_healthz"));
                Settings few = new Settings(Math.min(50, s.vms()), s.concurrency(), s.hosts(), 0);
                out.add(measure("api_list_vms", "GET /api/v1/vms with " + s.vms() + " VMs", few, pool,
                        i -> () -> api.send("GET", "/api/v1/vms", null, 200), "http_healthz"));
                out.add(measure("api_delete_to_gone", "DELETE /api/v1/vms/NAME until its delete task succeeded", s, pool, i -> () -> {
                    var done = watch.expect("delete", "vm" + i);
                    api.send("DELETE", "/api/v1/vms/vm" + i, null, 202);
                    TaskWatch.await(done, "delete vm" + i, 120);
                }, "driver_destroy_undefine"));
            } finally {
                server.close();
                if (pg != null) pg.close();
            }
        } finally {
            http.shutdownNow();
            deleteTree(data);
        }
        return out;
    }

    private static Result measure(String name, String description, Settings s, ExecutorService pool,
                                  IntFunction<ThrowingRunnable> op, String baseline) throws Exception {
        long[] nanos = new long[s.vms()];
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < s.vms(); i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                long a = System.nanoTime();
                op.apply(n).run();
                nanos[n] = System.nanoTime() - a;
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMillis = (processCpuNanos() - cpu0) / 1e6;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Result(name, description, s.vms(), s.concurrency(), seconds, pct(sorted, 0.50), pct(sorted, 0.99), baseline,
                cpuMillis / s.vms());
    }

    /** CPU time this process used so far, all threads. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private record Api(HttpClient http, String base, String token) {
        JsonNode send(String method, String path, String body, int expect) throws IOException, InterruptedException {
            var b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) b.header("Content-Type", "application/json");
            var res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != expect) {
                throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
            }
            return res.body().isEmpty() || path.startsWith("/api/v1/vms") && !method.equals("GET") ? null : JSON.readTree(res.body());
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
