package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyImage;
import io.polyvisor.libvirt.Fleet;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A long loaded run in which no host fails, to count how often HA is wrong: three libvirt hosts ({@code scripts/test-hosts})
 * with protected tiny QEMU guests on each (two {@code restart}, one {@code standby} pair) and fence agents configured,
 * as in production, so a false declaration would really fence a healthy host. For {@code duration} the machine is kept
 * busy: {@code burners} busy-loop processes, a churn loop that creates a tiny guest, waits until it runs and deletes it,
 * and a loop that live-migrates another guest between the hosts. Every {@code host.suspect}, {@code host.unreachable},
 * {@code host.fencing} and {@code host.fenced} event in that window is false, since nothing failed.
 */
public final class SuspicionSoak {
    /** HA event types that, with no host failed, are all false. */
    static final Set<String> FALSE_WHEN_NOTHING_FAILED = Set.of("host.suspect", "host.unreachable", "host.fencing", "host.fenced");

    /**
     * @param suspicions    {@code host.suspect} events (late heartbeats; HA only stops placing there)
     * @param unreachable   {@code host.unreachable} events (the host declared failed: standbys take over)
     * @param fences        {@code host.fencing} events (fencing of a healthy host started)
     * @param loadAvgMean   mean of the 1-minute load average sampled every 5 s during the run
     */
    public record Result(double durationS, int hosts, int guests, int burners, int suspicions, int unreachable, int fences,
                         int creates, int migrations, int workloadErrors, double loadAvgMean, double loadAvgMax, int cores,
                         List<String> falseEvents) {}

    private final AtomicInteger creates = new AtomicInteger(), migrations = new AtomicInteger(), errors = new AtomicInteger();
    private volatile boolean running = true;
    private BenchApi api;

    public static Result run(Path work, Duration duration, int burners) {
        return new SuspicionSoak().execute(work, duration, burners);
    }

    private Result execute(Path work, Duration duration, int burners) {
        var fleet = new Fleet(work.resolve("hosts"));
        RunningServer server = null;
        List<Process> burning = new ArrayList<>();
        List<Thread> loops = new ArrayList<>();
        try {
            var uris = fleet.up(3);
            TinyImage img = new ImageKit(ImageKit.defaultCache()).ensureTiny(Path.of("/var/tmp/polyvisor-test/tiny-" + ImageKit.KIT_VERSION));
            server = PolyvisorServer.start(ServerConfig.of(work.resolve("data")).withPort(0));
            api = new BenchApi(server);
            api.addFencedHosts(fleet, uris);
            var boot = BenchApi.boot(img);
            create("p1", boot, "h1", "restart");
            create("p2", boot, "h2", "restart");
            create("p3", boot, "h3", "standby");
            create("mover", boot, "h1", null);
            for (String vm : List.of("p1", "p2", "p3", "p3-standby", "mover")) api.awaitVm(vm, "running", Duration.ofSeconds(120));
            api.awaitHostsConnected(3);

            long after = lastSeq();
            for (int i = 0; i < burners; i++) {
                burning.add(new ProcessBuilder("sh", "-c", "while :; do :; done").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            loops.add(Thread.ofPlatform().name("soak-churn").start(() -> churn(boot)));
            loops.add(Thread.ofPlatform().name("soak-migrate").start(this::migrate));
            long t0 = System.nanoTime(), end = t0 + duration.toNanos();
            List<Double> loads = new ArrayList<>();
            while (System.nanoTime() < end) {
                loads.add(loadAverage());
                BenchApi.pause(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            running = false;
            for (Process p : burning) p.destroyForcibly();
            for (Thread t : loops) t.join(Duration.ofSeconds(150));

            List<String> wrong = new ArrayList<>();
            int suspect = 0, unreachable = 0, fencing = 0;
            for (JsonNode e : eventsAfter(after)) {
                String type = e.path("type").asText();
                if (!FALSE_WHEN_NOTHING_FAILED.contains(type)) continue;
                wrong.add(e.path("at").asText() + " " + type + " " + e.path("subject").asText() + ": " + e.path("message").asText());
                switch (type) {
                    case "host.suspect" -> suspect++;
                    case "host.unreachable" -> unreachable++;
                    case "host.fencing" -> fencing++;
                    default -> { }
                }
            }
            double mean = loads.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double max = loads.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            return new Result(Math.round(seconds * 10) / 10.0, 3, 5, burners, suspect, unreachable, fencing, creates.get(),
                    migrations.get(), errors.get(), Math.round(mean * 100) / 100.0, max, Runtime.getRuntime().availableProcessors(), wrong);
        } catch (IOException e) {
            throw new IllegalStateException("could not start a load process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            running = false;
            for (Process p : burning) p.destroyForcibly();
            if (server != null) server.close();
            try {
                fleet.down();
            } catch (RuntimeException ignored) {
                // best effort: the hosts' folder is private to this run
            }
        }
    }

    private void create(String name, Map<String, String> boot, String host, String protection) {
        var body = new java.util.LinkedHashMap<String, Object>(Map.of("name", name, "vcpus", 1, "memory", "128M", "boot", boot));
        if (host != null) body.put("host", host);
        if (protection != null) body.put("protection", protection);
        BenchApi.ok(api.post("/api/v1/vms", body), 202);
    }

    /** Create a tiny guest anywhere, wait until it runs, delete it; again until the run ends. */
    private void churn(Map<String, String> boot) {
        for (int i = 0; running; i++) {
            String name = "churn" + i;
            try {
                create(name, boot, null, null);
                api.awaitVm(name, "running", Duration.ofSeconds(120));
                creates.incrementAndGet();
                BenchApi.ok(api.delete("/api/v1/vms/" + name), 202);
                awaitGone(name);
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                BenchApi.pause(1000);
            }
        }
    }

    /** Live-migrate {@code mover} round the three hosts, one move every 10 s. */
    private void migrate() {
        String[] ring = {"h2", "h3", "h1"};
        for (int i = 0; running; i++) {
            try {
                BenchApi.ok(api.post("/api/v1/vms/mover/migrate", Map.of("to", ring[i % 3])), 202);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (running && System.nanoTime() < deadline) {
                    JsonNode v = api.get("/api/v1/vms/mover");
                    if (v.path("state").asText().equals("running") && v.path("host").asText().equals(ring[i % 3])) break;
                    BenchApi.pause(200);
                }
                migrations.incrementAndGet();
            } catch (RuntimeException e) {
                errors.incrementAndGet();
            }
            for (int s = 0; s < 50 && running; s++) BenchApi.pause(200);
        }
    }

    private void awaitGone(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            boolean found = false;
            for (JsonNode v : api.get("/api/v1/vms")) found |= v.path("name").asText().equals(name);
            if (!found) return;
            BenchApi.pause(200);
        }
        throw new IllegalStateException("vm " + name + " was not deleted within 120 s");
    }

    private long lastSeq() {
        long after = 0;
        for (JsonNode page = api.get("/api/v1/events?limit=1000"); page.size() > 0; page = api.get("/api/v1/events?limit=1000&after=" + after)) {
            after = page.get(page.size() - 1).path("seq").asLong();
        }
        return after;
    }

    private List<JsonNode> eventsAfter(long after) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode page = api.get("/api/v1/events?limit=1000&after=" + after); page.size() > 0;
             page = api.get("/api/v1/events?limit=1000&after=" + after)) {
            page.forEach(out::add);
            after = page.get(page.size() - 1).path("seq").asLong();
        }
        return out;
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static Path tempWork() throws IOException {
        return Files.createTempDirectory(Path.of("/var/tmp"), "polyvisor-soak-");
    }
}
