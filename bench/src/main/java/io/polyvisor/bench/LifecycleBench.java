package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.image.TinyImage;
import io.polyvisor.libvirt.DirectLifecycle;
import io.polyvisor.libvirt.Fleet;
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
 * parallel; each VM's latency is measured from the request to "running" (or to "gone"). Rounds alternate, libvirt's
 * then Polyvisor's, so that load from the rest of the machine weighs on both alike.
 *
 * <p>Polyvisor's create→running ends when its create task succeeded (the task records the VM running in the same
 * transaction); its delete ends when the delete task succeeded. The client learns both from the event stream
 * ({@link TaskWatch}), as libvirt's caller learns from its call returning: no polling interval in either figure.
 *
 * <p>Before the timed rounds, each system creates and deletes one VM untimed, so that neither pays for a cold
 * daemon (QEMU capability probing, the KVM probe); and Polyvisor, a long-running server, first runs {@code warmup}
 * create/delete cycles on a simulated host, so that its JIT has compiled the API, store and task paths (with 0 the
 * figures include a cold JVM interpreting them).
 */
public final class LifecycleBench {
    /** Median and 95th percentile of per-VM latencies over all rounds, and the mean wall time of a round, in seconds. */
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

    /**
     * Runs {@code rounds} rounds, each libvirt's then Polyvisor's, so that both systems see the machine's load as it
     * drifts; each system's figures pool its VMs over all rounds.
     *
     * @param warmup create/delete cycles on a simulated host, untimed, before Polyvisor's first round (JIT)
     */
    public static Result run(URI host, int vms, TinyImage image, int warmup, int rounds) {
        var spec = new VmSpec(1, 128 * Sizes.MiB, new Boot.Kernel(image.kernel().toString(),
                image.initrd() == null ? null : image.initrd().toString(), image.cmdline()), null, null);
        Path data;
        try {
            data = Files.createTempDirectory("polyvisor-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var lvCreate = new ArrayList<Double>();
        var lvDelete = new ArrayList<Double>();
        var pvCreate = new ArrayList<Double>();
        var pvDelete = new ArrayList<Double>();
        double[] walls = new double[4];
        try (var lv = DirectLifecycle.open(host);
             RunningServer server = PolyvisorServer.start(ServerConfig.of(data).withPort(0));
             var api = new Api(server)) {
            UUID warm = UUID.randomUUID();
            lv.createAndStart(warm, name("lv", warm), spec); // untimed: a cold daemon probes QEMU first
            lv.destroyAndUndefine(warm);
            warmUp(api, host, spec, warmup);
            for (int r = 0; r < rounds; r++) {
                var lvIds = ids(vms);
                try {
                    walls[0] += timeAll(lvIds, id -> () -> lv.createAndStart(id, name("lv", id), spec), lvCreate);
                    walls[1] += timeAll(lvIds, id -> () -> lv.destroyAndUndefine(id), lvDelete);
                } finally {
                    lvIds.forEach(lv::destroyAndUndefine);
                }
                var pvIds = ids(vms);
                walls[2] += timeAll(pvIds, id -> () -> api.createAndAwaitRunning(name("pv", id), spec, "bench"), pvCreate);
                walls[3] += timeAll(pvIds, id -> () -> api.deleteAndAwait(name("pv", id)), pvDelete);
            }
        } finally {
            deleteTree(data);
        }
        return new Result(host, vms, new System(figures(lvCreate, walls[0] / rounds), figures(lvDelete, walls[1] / rounds)),
                new System(figures(pvCreate, walls[2] / rounds), figures(pvDelete, walls[3] / rounds)));
    }

    /** Adds the host, runs {@code warmup} cycles on an instant simulated host, then one untimed VM on the host. */
    private static void warmUp(Api api, URI host, VmSpec spec, int warmup) {
        var added = api.send("POST", "/api/v1/hosts", "{\"uri\":" + JSON.valueToTree(host.toString()) + ",\"name\":\"bench\"}");
        if (added.statusCode() != 201) throw new IllegalStateException("adding host " + host + " failed: " + added.body());
        if (warmup > 0) {
            String dc = "bench-warmup-" + UUID.randomUUID().toString().substring(0, 8);
            io.polyvisor.sim.SimDatacenter.create(dc, 1, io.polyvisor.sim.SimClock.real(), io.polyvisor.sim.SimSettings.instant());
            var warmHost = api.send("POST", "/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/w1\",\"name\":\"warmup\"}");
            if (warmHost.statusCode() != 201) throw new IllegalStateException("adding the warm-up host failed: " + warmHost.body());
            var tiny = new VmSpec(1, 16 * Sizes.MiB, Boot.none(), null, null);
            for (int i = 0; i < warmup; i++) {
                try {
                    api.createAndAwaitRunning("bench-warmup-" + i, tiny, "warmup");
                } catch (IllegalStateException refused) {
                    // untimed: HA may call the simulated host suspect for a moment on a loaded machine (422 host-state)
                    pause(100);
                    continue;
                }
                api.deleteAndAwait("bench-warmup-" + i);
            }
        }
        UUID warm = UUID.randomUUID();
        api.createAndAwaitRunning(name("pv", warm), spec, "bench"); // untimed: the libvirt paths once
        api.deleteAndAwait(name("pv", warm));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<UUID> ids(int n) {
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < n; i++) ids.add(UUID.randomUUID());
        return ids;
    }

    /**
     * Runs the benchmark on a libvirt host of its own ({@code scripts/test-hosts}), removed afterwards. Its QEMU runs
     * as root: where {@code /dev/kvm} is root-only, as on the build machine, libvirt 9 finds KVM "usable" for its
     * capability probe but not for the QEMU user, calls its cached capabilities stale, and probes QEMU again (~7 s,
     * one define at a time) on every define, for both systems alike; measured: define 7.4 s before, 0.01 s after.
     */
    public static Result runOnOwnHost(int vms, TinyImage image, int warmup, int rounds) {
        Path work;
        try {
            work = Files.createTempDirectory("polyvisor-bench-lifecycle");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var fleet = new Fleet(work.resolve("hosts"));
        try {
            fleet.up(1);
            Files.writeString(fleet.base().resolve("h1/etc/qemu.conf"), "\n# bench lifecycle: QEMU as root (LifecycleBench)\n"
                    + "user = \"root\"\ngroup = \"root\"\n", java.nio.file.StandardOpenOption.APPEND);
            fleet.kill(1); // no VMs yet: restarts the daemon with that setting
            return run(URI.create(fleet.up(1).getFirst()), vms, image, warmup, rounds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            fleet.down();
            deleteTree(work);
        }
    }

    private static String name(String prefix, UUID id) {
        return "bench-" + prefix + "-" + id.toString().substring(0, 8);
    }

    /** Runs one action per id in parallel; adds each action's latency to {@code into}; returns the round's wall time. */
    private static double timeAll(List<UUID> ids, Function<UUID, Runnable> action, List<Double> into) {
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
            for (var f : futures) into.add(f.get());
            return (java.lang.System.nanoTime() - t0) / 1e9;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Figures figures(List<Double> seconds, double meanWall) {
        var sorted = new ArrayList<>(seconds);
        sorted.sort(Comparator.naturalOrder());
        return new Figures(percentile(sorted, 50), percentile(sorted, 95), meanWall);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** The REST calls the benchmark makes, with the admin token; task ends come from one event stream. */
    private static final class Api implements AutoCloseable {
        private final RunningServer server;
        private final HttpClient http = HttpClient.newHttpClient();
        private final TaskWatch watch;

        Api(RunningServer server) {
            this.server = server;
            this.watch = new TaskWatch(http, server.url().toString(), server.token());
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

        /** Until the create task succeeded: it has defined and started the domain, and the VM reads running. */
        void createAndAwaitRunning(String name, VmSpec spec, String host) {
            var body = JSON.createObjectNode().put("name", name).put("vcpus", spec.vcpus()).put("memory_bytes", spec.memoryBytes())
                    .put("host", host);
            if (spec.boot() instanceof Boot.Kernel k) {
                body.putObject("boot").put("kernel", k.kernel()).put("initrd", k.initrd()).put("cmdline", k.cmdline());
            }
            var done = watch.expect("create", name);
            var r = send("POST", "/api/v1/vms", body.toString());
            if (r.statusCode() != 202) throw new IllegalStateException("create " + name + " failed: " + r.body());
            await(done, "create " + name);
        }

        void deleteAndAwait(String name) {
            var done = watch.expect("delete", name);
            var r = send("DELETE", "/api/v1/vms/" + name, null);
            if (r.statusCode() != 202) throw new IllegalStateException("delete " + name + " failed: " + r.body());
            await(done, "delete " + name);
        }

        private static void await(java.util.concurrent.CompletableFuture<JsonNode> done, String what) {
            try {
                TaskWatch.await(done, what, 120);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(what + ": " + e, e);
            }
        }

        @Override
        public void close() {
            watch.close();
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
