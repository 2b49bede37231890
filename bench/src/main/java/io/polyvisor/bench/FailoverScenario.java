package io.polyvisor.bench;

import io.polyvisor.libvirt.Fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyImage;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A real host failure, measured: three libvirt hosts ({@code scripts/test-hosts}), an in-process server, tiny
 * QEMU guests answering HTTP with their own name. On host h1: {@code db} ({@code --protect restart}, priority 5)
 * and {@code web} ({@code --protect standby}; its standby instance {@code web-standby} runs elsewhere). Then h1's
 * daemon and QEMU processes are killed, and the clock runs from that moment until
 * <ol>
 *   <li>the failure is declared ({@code host.unreachable} event),</li>
 *   <li>web's service endpoint answers from the standby instance ("web-standby"),</li>
 *   <li>db answers HTTP again, restarted on another host.</li>
 * </ol>
 * The baseline measured in the same run is the tiny guest's boot (create to first HTTP answer).
 */
public final class FailoverScenario {
    /** Seconds from the kill; {@code bootS} is the guest boot baseline. */
    public record Result(double detectS, double standbyRolloverS, double restartS, double bootS, String fenceMethod,
                         String dbHostAfter, String webHostAfter, String standbyHostAfter, String standbyStateAfter,
                         String serviceEndpoint, JsonNode events, Instant killedAt) {
        /** The HA and task events after the kill, each with its offset from the kill in seconds. */
        public java.util.List<String> timeline() {
            var out = new java.util.ArrayList<String>();
            for (JsonNode e : events) {
                Instant at = Instant.parse(e.path("at").asText());
                if (at.isBefore(killedAt)) continue;
                out.add(String.format(java.util.Locale.ROOT, "%+7.3f s  %s %s: %s", Duration.between(killedAt, at).toNanos() / 1e9,
                        e.path("type").asText(), e.path("subject").asText(), e.path("message").asText()));
            }
            return out;
        }
    }

    private RunningServer server;
    private BenchApi api;
    private volatile long standbyAnsweredAt;

    public static Result run(Path work) {
        return new FailoverScenario().execute(work);
    }

    private Result execute(Path work) {
        var fleet = new Fleet(work.resolve("hosts"));
        try {
            var uris = fleet.up(3);
            TinyImage img = new ImageKit(ImageKit.defaultCache()).ensureTiny(Path.of("/var/tmp/polyvisor-test/tiny-" + ImageKit.KIT_VERSION));
            server = PolyvisorServer.start(ServerConfig.of(work.resolve("data")).withPort(0));
            api = new BenchApi(server);
            api.addFencedHosts(fleet, uris);
            var boot = BenchApi.boot(img);
            long c0 = System.nanoTime();
            BenchApi.ok(api.post("/api/v1/vms", Map.of("name", "db", "vcpus", 1, "memory", "128M", "boot", boot, "host", "h1",
                    "protection", "restart", "priority", 5, "expose", java.util.List.of(80))), 202);
            String dbAddr = api.awaitEndpoint("db");
            api.awaitBody(dbAddr, "db", Duration.ofSeconds(90));
            double bootS = seconds(System.nanoTime() - c0);
            api.awaitHostsConnected(3); // a host the monitor briefly saw as disconnected takes no standby
            BenchApi.ok(api.post("/api/v1/vms", Map.of("name", "web", "vcpus", 1, "memory", "128M", "boot", boot, "host", "h1",
                    "protection", "standby", "expose", java.util.List.of(80))), 202);
            String service = awaitServiceEndpoint("web");
            api.awaitBody(service, "web", Duration.ofSeconds(90));
            api.awaitBody(api.awaitEndpoint("web-standby"), "web-standby", Duration.ofSeconds(90));

            Instant killedAt = Instant.now();
            long k0 = System.nanoTime();
            fleet.kill(1);
            var standbyAnswer = Thread.ofVirtual().start(() -> {
                api.awaitBody(service, "web-standby", Duration.ofSeconds(60));
                standbyAnsweredAt = System.nanoTime();
            });
            api.awaitBody(dbAddr, "db", Duration.ofSeconds(90));
            double restartS = seconds(System.nanoTime() - k0);
            standbyAnswer.join();
            double rolloverS = seconds(standbyAnsweredAt - k0);

            JsonNode events = api.get("/api/v1/events?limit=1000");
            double detectS = -1;
            String method = null;
            for (JsonNode e : events) {
                if (!e.path("subject").asText().equals("h1")) continue;
                Instant at = Instant.parse(e.path("at").asText());
                if (e.path("type").asText().equals("host.unreachable") && detectS < 0) {
                    detectS = Math.round(Duration.between(killedAt, at).toNanos() / 1e6) / 1000.0;
                }
                if (e.path("type").asText().equals("host.fenced")) method = e.path("message").asText();
            }
            // a figure that is missing fails the run: -1 or null must never print as if it met a target
            if (detectS < 0) throw new IllegalStateException("no host.unreachable event for h1 after it was killed: detection not measured");
            if (method == null) throw new IllegalStateException("no host.fenced event for h1 after it was killed: fencing not seen");
            // the rebuilt standby: away from the dead host and from the new primary
            JsonNode web = api.get("/api/v1/vms/web");
            JsonNode sb = api.awaitVm("web-standby", "running", Duration.ofSeconds(90));
            return new Result(detectS, rolloverS, restartS, bootS, method, api.get("/api/v1/vms/db").path("host").asText(),
                    web.path("host").asText(), sb.path("host").asText(), sb.path("state").asText(), service, events, killedAt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (server != null) server.close();
            try {
                fleet.down();
            } catch (RuntimeException ignored) {
                // best effort: the hosts' folder is private to this run
            }
        }
    }

    private String awaitServiceEndpoint(String vm) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode p : api.get("/api/v1/ha/status").path("protected_vms")) {
                if (p.path("name").asText().equals(vm) && p.path("service_endpoints").size() > 0) {
                    String s = p.path("service_endpoints").get(0).asText();
                    return s.substring(s.indexOf("-> ") + 3);
                }
            }
            BenchApi.pause(100);
        }
        throw new IllegalStateException("no service endpoint for " + vm + ": " + api.get("/api/v1/ha/status"));
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }

    static Path tempWork() throws IOException {
        return Files.createTempDirectory(Path.of("/var/tmp"), "polyvisor-failover-");
    }
}
