package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.image.TinyImage;
import io.polyvisor.libvirt.DirectLifecycle;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Create→running and delete latency of N real VMs on one host, through Polyvisor (an in-process server, its
 * REST API, store, tasks and libvirt driver) and through plain libvirt calls ({@link DirectLifecycle}), in one
 * run on the same host with the same domain XML. The N VMs of a round are created in parallel, then deleted in
 * parallel; each VM's latency is measured from the request to "running" (or to "gone").
 *
 * <p>Polyvisor's create→running ends when {@code GET /api/v1/vms/NAME} says running (the create task has
 * defined and started the domain); its delete ends when the delete task has succeeded.
 */
public final class LifecycleBench {
    /** Median and 95th percentile of per-VM latencies, and the wall time of the whole round, in seconds. */
    public record Figures(double medianSeconds, double p95Seconds, double wallSeconds) {}

    public record System(Figures create, Figures delete) {}

    public record Result(URI host, int vms, System libvirt, System polyvisor) {
        public double createRatio() {
            return polyvisor.create.medianSeconds / libvirt.create.medianSeconds;
        }

        public double deleteRatio() {
            return polyvisor.delete.medianSeconds / libvirt.delete.medianSeconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private LifecycleBench() {}

    public static Result run(URI host, int vms, TinyImage image) {
        var spec = new VmSpec(1, 128 * Sizes.MiB, new Boot.Kernel(image.kernel().toString(),
                image.initrd() == null ? null : image.initrd().toString(), image.cmdline()), null, null);
        var libvirt = direct(host, vms, spec);
        var polyvisor = throughPolyvisor(host, vms, spec);
        return new Result(host, vms, libvirt, polyvisor);
    }

    private static System direct(URI host, int n, VmSpec spec) {
        try (var lv = DirectLifecycle.open(host)) {
            var ids = new ArrayList<UUID>();
            for (int i = 0; i < n; i++) ids.add(UUID.randomUUID());
            try {
                var create = timeAll(ids, id -> () -> lv.createAndStart(id, name("lv", id), spec));
                var delete = timeAll(ids, id -> () -> lv.destroyAndUndefine(id));
                return new System(create, delete);
            } finally {
                ids.forEach(lv::destroyAndUndefine);
            }
        }
    }

    private static System throughPolyvisor(URI host, int n, VmSpec spec) {
        Path data;
        try {
            data = Files.createTempDirectory("polyvisor-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RunningServer server = PolyvisorServer.start(ServerConfig.of(data).withPort(0))) {
            var api = new Api(server);
            var added = api.send("POST", "/api/v1/hosts", "{\"uri\":" + JSON.valueToTree(host.toString()) + ",\"name\":\"bench\"}");
            if (added.statusCode() != 201) throw new IllegalStateException("adding host " + host + " failed: " + added.body());
            var ids = new ArrayList<UUID>();
            for (int i = 0; i < n; i++) ids.add(UUID.randomUUID());
            var create = timeAll(ids, id -> () -> api.createAndAwaitRunning(name("pv", id), spec));
            var delete = timeAll(ids, id -> () -> api.deleteAndAwait(name("pv", id)));
            return new System(create, delete);
        } finally {
            deleteTree(data);
        }
    }

    private static String name(String prefix, UUID id) {
        return "bench-" + prefix + "-" + id.toString().substring(0, 8);
    }

    /** Runs one action per id in parallel; returns per-action latency figures and the round's wall time. */
    private static Figures timeAll(List<UUID> ids, Function<UUID, Runnable> action) {
        // platform threads: the libvirt baseline makes blocking JNA calls, which would pin virtual threads
        try (var pool = Executors.newFixedThreadPool(ids.size())) {
            long t0 = java.lang.System.nanoTime();
            var futures = new ArrayList<Future<Double>>();
            for (var id : ids) {
                Runnable r = action.apply(id);
                Callable<Double> timed = () -> {
                    long s = java.lang.System.nanoTime();
                    r.run();
                    return (java.lang.System.nanoTime() - s) / 1e9;
                };
                futures.add(pool.submit(timed));
            }
            var seconds = new ArrayList<Double>();
            for (var f : futures) seconds.add(f.get());
            double wall = (java.lang.System.nanoTime() - t0) / 1e9;
            seconds.sort(Comparator.naturalOrder());
            return new Figures(percentile(seconds, 50), percentile(seconds, 95), wall);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** The REST calls the benchmark makes, with the admin token. */
    private record Api(RunningServer server, HttpClient http) {
        Api(RunningServer server) {
            this(server, HttpClient.newHttpClient());
        }

        HttpResponse<String> send(String method, String path, String body) {
            var b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + server.token());
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        JsonNode json(HttpResponse<String> r) {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void createAndAwaitRunning(String name, VmSpec spec) {
            var k = (Boot.Kernel) spec.boot();
            var body = JSON.createObjectNode().put("name", name).put("vcpus", spec.vcpus()).put("memory_bytes", spec.memoryBytes())
                    .put("host", "bench");
            body.putObject("boot").put("kernel", k.kernel()).put("initrd", k.initrd()).put("cmdline", k.cmdline());
            var r = send("POST", "/api/v1/vms", body.toString());
            if (r.statusCode() != 202) throw new IllegalStateException("create " + name + " failed: " + r.body());
            awaitJson("/api/v1/vms/" + name, j -> switch (j.path("state").asText()) {
                case "running" -> true;
                case "failed" -> throw new IllegalStateException(name + " failed: " + j.path("state_detail").asText());
                default -> false;
            });
        }

        void deleteAndAwait(String name) {
            var r = send("DELETE", "/api/v1/vms/" + name, null);
            if (r.statusCode() != 202) throw new IllegalStateException("delete " + name + " failed: " + r.body());
            var task = json(r).path("id").asText();
            awaitJson("/api/v1/tasks/" + task, j -> switch (j.path("status").asText()) {
                case "succeeded" -> true;
                case "failed", "cancelled" -> throw new IllegalStateException("delete " + name + ": " + j.path("error").asText());
                default -> false;
            });
        }

        private void awaitJson(String path, java.util.function.Predicate<JsonNode> done) {
            long deadline = java.lang.System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (java.lang.System.nanoTime() < deadline) {
                var r = send("GET", path, null);
                if (r.statusCode() == 200 && done.test(json(r))) return;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("timed out waiting on " + path);
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
