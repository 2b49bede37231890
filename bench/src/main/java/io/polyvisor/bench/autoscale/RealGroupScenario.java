package io.polyvisor.bench.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyImage;
import io.polyvisor.libvirt.Fleet;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An elastic group of tiny real QEMU guests on two libvirt hosts ({@code scripts/test-hosts}), behind the group's
 * real HAProxy, under load from {@code hey} (loopback only, bounded in time and rate):
 * <ol>
 *   <li>baseline: one tiny guest's boot, create to its first HTTP answer;</li>
 *   <li>group {@code web}: min 1, max 3, {@code rps=10}, a warm pool of 1, the product's default 5 s evaluation;</li>
 *   <li>load step: {@code hey -z 45s -q 10 -c 3} (30 requests/s): the warm member is resumed and a cold one
 *       launched; the clock runs from the step to each new member's first answer through the endpoint;</li>
 *   <li>light load ({@code hey -q 2 -c 1}) while the group scales back in to 1 with drain and refills its pool.</li>
 * </ol>
 * Every request of both {@code hey} runs is counted; any non-200 answer or error is a failed request.
 */
public final class RealGroupScenario {
    /**
     * @param warmResumeQueuedS from the load step to the warm member's RESUME being queued (detection and decision)
     * @param coldCreatedS      from the load step to the cold member's VM being created (detection and decision)
     */
    public record Result(double guestBootS, double warmReactionS, double coldReactionS, long requests, long failedRequests,
                         int grewTo, int shrankTo, int warmAfter, List<String> heyErrors, double warmResumeQueuedS,
                         double coldCreatedS) {
        /** The cold member's own create to first answer through the endpoint, under the load (compare {@link #guestBootS}). */
        public double coldBootUnderLoadS() {
            return Math.round((coldReactionS - coldCreatedS) * 1000) / 1000.0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATUS = Pattern.compile("\\[(\\d{3})]\\s+(\\d+) responses");
    private static final Pattern ERROR = Pattern.compile("^\\s*\\[(\\d+)]\\s+(.*)$", Pattern.MULTILINE);
    /** Quiet time between the group being ready (1 in rotation, 1 warm) and the load step. */
    static final long SETTLE_MS = 3000;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private RunningServer server;

    public static Result run(Path work) {
        return new RealGroupScenario().execute(work);
    }

    private Result execute(Path work) {
        requireHey();
        var fleet = new Fleet(work.resolve("hosts"));
        try {
            var uris = fleet.up(2);
            TinyImage img = new ImageKit(ImageKit.defaultCache()).ensureTiny(Path.of("/var/tmp/polyvisor-test/tiny-" + ImageKit.KIT_VERSION));
            server = PolyvisorServer.start(ServerConfig.of(work.resolve("data")).withPort(0));
            for (int i = 1; i <= 2; i++) ok(post("/api/v1/hosts", Map.of("uri", uris.get(i - 1), "name", "h" + i)), 201);
            var boot = Map.of("kernel", img.kernel().toString(), "initrd", img.initrd().toString(), "cmdline", img.cmdline());

            long b0 = System.nanoTime();
            ok(post("/api/v1/vms", Map.of("name", "probe", "vcpus", 1, "memory", "128M", "boot", boot, "expose", List.of(80))), 202);
            awaitBody(awaitEndpoint("probe"), "probe", Duration.ofSeconds(120));
            double bootS = seconds(System.nanoTime() - b0);
            send(req("/api/v1/vms/probe").DELETE());

            var group = new java.util.LinkedHashMap<String, Object>();
            group.putAll(Map.of("name", "web", "memory", "128M", "port", 80, "min", 1, "max", 3, "target", "rps=10",
                    "scale_in_window_s", 15, "warm", 1, "boot", boot));
            Answer created = post("/api/v1/groups", group);
            ok(created, 201);
            String endpoint = created.json().path("endpoint").asText();
            JsonNode g = awaitGroup(x -> inRotation(x).size() == 1 && named(x, "warm").size() == 1, Duration.ofSeconds(180));
            String first = inRotation(g).getFirst(), warm = named(g, "warm").getFirst();
            awaitBody(endpoint, first, Duration.ofSeconds(30));
            // settle: the warm member's suspend (just now) makes the controller follow up a second later; a step then
            // would be seen by that follow-up, not by the way the group detects load in steady state
            pause(SETTLE_MS);

            // the load step
            long t0 = System.nanoTime();
            java.time.Instant step = java.time.Instant.now(); // the server's events carry wall-clock times
            Process heavy = hey(work.resolve("hey-heavy.txt"), "45s", 10, 3, endpoint);
            Map<String, Long> firstAnswer = new java.util.HashMap<>();
            long deadline = t0 + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && firstAnswer.keySet().stream().filter(n -> !n.equals(first)).count() < 2) {
                String body = httpBody(endpoint);
                if (body != null) firstAnswer.putIfAbsent(body, System.nanoTime());
                pause(25);
            }
            int grewTo = inRotation(get("/api/v1/groups/web")).size();
            if (!firstAnswer.containsKey(warm)) throw new IllegalStateException("the warm member " + warm + " never answered through the endpoint: " + firstAnswer.keySet());
            String cold = firstAnswer.keySet().stream().filter(n -> !n.equals(first) && !n.equals(warm)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cold member answered within 120 s of the load step: " + firstAnswer.keySet()));
            double warmS = seconds(firstAnswer.get(warm) - t0), coldS = seconds(firstAnswer.get(cold) - t0);
            JsonNode events = get("/api/v1/events?limit=1000");
            double resumeQueued = since(step, eventAt(events, "task.queued", warm, "resume ")),
                    coldCreated = since(step, eventAt(events, "vm.created", cold, ""));
            heavy.waitFor();

            // load falls: the group scales in with drain while light requests keep coming, and refills its pool
            Process light = hey(work.resolve("hey-light.txt"), "60s", 2, 1, endpoint);
            JsonNode after = awaitGroup(x -> inRotation(x).size() == 1 && named(x, "warm").size() == 1 && x.path("members").size() == 2,
                    Duration.ofSeconds(90));
            light.waitFor();
            var errors = new ArrayList<String>();
            long[] heavyCounts = counts(work.resolve("hey-heavy.txt"), errors), lightCounts = counts(work.resolve("hey-light.txt"), errors);
            return new Result(bootS, warmS, coldS, heavyCounts[0] + lightCounts[0], heavyCounts[1] + lightCounts[1], grewTo,
                    inRotation(after).size(), named(after, "warm").size(), errors, resumeQueued, coldCreated);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (server != null) server.close();
            try {
                fleet.down();
            } catch (RuntimeException ignored) {
                // best effort: the hosts' folder is private to this run
            }
        }
    }

    /** When the first event of {@code type} about {@code subject} whose message starts with {@code prefix} happened. */
    private static java.time.Instant eventAt(JsonNode events, String type, String subject, String prefix) {
        java.time.Instant first = null;
        for (JsonNode e : events) {
            if (!e.path("type").asText().equals(type) || !e.path("subject").asText().equals(subject)
                    || !e.path("message").asText().startsWith(prefix)) continue;
            var at = java.time.Instant.parse(e.path("at").asText());
            if (first == null || at.isBefore(first)) first = at;
        }
        if (first == null) throw new IllegalStateException("no " + type + " event about " + subject + " in the server's events");
        return first;
    }

    private static double since(java.time.Instant from, java.time.Instant to) {
        return Math.round(java.time.Duration.between(from, to).toNanos() / 1e6) / 1000.0;
    }

    private static void requireHey() {
        try {
            if (new ProcessBuilder("hey", "-h").redirectErrorStream(true).start().waitFor() >= 0) return;
        } catch (IOException e) {
            // worded below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("hey is not installed: run scripts/test (scripts/apt-install hey)");
    }

    /** {@code hey} against the loopback endpoint, bounded by {@code duration} and {@code qps} per worker. */
    private static Process hey(Path out, String duration, int qps, int workers, String endpoint) throws IOException {
        if (!endpoint.startsWith("127.0.0.1:")) throw new IllegalStateException("load goes to loopback only, not " + endpoint);
        return new ProcessBuilder("hey", "-z", duration, "-q", Integer.toString(qps), "-c", Integer.toString(workers), "-t", "10",
                "http://" + endpoint + "/").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** {responses, failed}: every status other than 200 and every error of hey's report counts as failed. */
    static long[] counts(Path report, List<String> errors) throws IOException {
        String text = Files.readString(report);
        long total = 0, failed = 0;
        Matcher m = STATUS.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(2));
            total += n;
            if (!m.group(1).equals("200")) failed += n;
        }
        int at = text.indexOf("Error distribution:");
        if (at >= 0) {
            Matcher e = ERROR.matcher(text.substring(at));
            while (e.find()) {
                failed += Long.parseLong(e.group(1));
                total += Long.parseLong(e.group(1));
                errors.add(e.group(2));
            }
        }
        if (total == 0) throw new IllegalStateException("hey reported no request in " + report + ":\n" + text);
        return new long[] {total, failed};
    }

    private static List<String> inRotation(JsonNode g) {
        var out = new ArrayList<String>();
        for (JsonNode m : g.path("members")) if (m.path("in_rotation").asBoolean()) out.add(m.path("name").asText());
        return out;
    }

    private static List<String> named(JsonNode g, String state) {
        var out = new ArrayList<String>();
        for (JsonNode m : g.path("members")) if (m.path("state").asText().equals(state)) out.add(m.path("name").asText());
        return out;
    }

    private JsonNode awaitGroup(java.util.function.Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode g = null;
        while (System.nanoTime() < deadline) {
            g = get("/api/v1/groups/web");
            if (done.test(g)) return g;
            pause(200);
        }
        throw new IllegalStateException("group web not as expected within " + timeout + ": " + g);
    }

    private void awaitBody(String address, String body, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (body.equals(httpBody(address))) return;
            pause(20);
        }
        throw new IllegalStateException("no answer '" + body + "' from http://" + address + "/ within " + timeout);
    }

    private String httpBody(String address) {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/")).timeout(Duration.ofMillis(800)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String awaitEndpoint(String vm) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode v = get("/api/v1/vms/" + vm);
            if (v.path("state").asText().equals("running") && v.path("endpoints").size() > 0) {
                return v.path("endpoints").get(0).path("address").asText();
            }
            pause(100);
        }
        throw new IllegalStateException("vm " + vm + " did not run with an endpoint within 90 s: " + get("/api/v1/vms/" + vm));
    }

    private JsonNode get(String path) {
        return send(req(path).GET()).json;
    }

    private Answer post(String path, Object body) {
        try {
            return send(req(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Answer(int status, JsonNode json) {}

    private static void ok(Answer a, int status) {
        if (a.status() != status) throw new IllegalStateException("expected HTTP " + status + ", got " + a.status() + ": " + a.json());
    }

    private HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.token());
    }

    private Answer send(HttpRequest.Builder b) {
        try {
            var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException("API call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
