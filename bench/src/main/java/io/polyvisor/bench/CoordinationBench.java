package io.polyvisor.bench;

import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.sim.SimDatacenter;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code polyvisor bench coordination}: the guest coordination service (docs/COORDINATION.md) on the simulator, with
 * a server in this process on an ephemeral loopback port and embedded H2 in a temporary folder.
 * <ul>
 *   <li>{@link LeaderFailover}: a lease holder's host crashes; time until another guest holds the lease, beside HA's
 *       failure detection and the wait a TTL-only service would have (the lease's expiry at the crash);</li>
 *   <li>{@link KvLoad}: compare-and-set writes by concurrent guests through the guest API over HTTP, beside the same
 *       writes made straight on the store, alternated in the same run.</li>
 * </ul>
 */
public final class CoordinationBench {
    /**
     * @param guests   concurrent guests writing keys (one VM each)
     * @param seconds  length of each measured load phase
     * @param phases   load phases of each kind, alternated (store, guest API, store, ...)
     * @param failovers host crashes, one per round
     * @param ttlS     the lease TTL the holder asks for
     */
    public record Settings(int guests, double seconds, int phases, int failovers, int ttlS) {}

    public record Result(List<LeaderFailover.Round> failovers, KvLoad.Figures kv, KvLoad.Figures store, long kvThrottled) {}

    static final int HOSTS = 4;

    private CoordinationBench() {}

    public static Result run(Settings s) throws Exception {
        String dc = "coord" + UUID.randomUUID().toString().substring(0, 8);
        Path data = Files.createTempDirectory("polyvisor-bench-coord");
        RunningServer server = PolyvisorServer.start(ServerConfig.of(data.resolve("data")).withPort(0));
        try (HttpClient http = HttpClient.newHttpClient()) {
            var api = new BenchApi(server);
            for (int h = 1; h <= HOSTS; h++) {
                BenchApi.ok(api.post("/api/v1/hosts", Map.of("uri", "sim://" + dc + "/h" + h + "?cpus=64&memory=64G", "name", "h" + h)), 201);
            }
            api.awaitHostsConnected(HOSTS);
            var sim = SimDatacenter.named(dc);
            List<LeaderFailover.Round> rounds = new ArrayList<>();
            var failover = new LeaderFailover(api, sim, http, server.url().toString());
            for (int r = 1; r <= s.failovers(); r++) rounds.add(failover.round(r, s.ttlS()));
            var load = new KvLoad(api, server, http, s.guests());
            var figures = load.run(s.seconds(), s.phases());
            return new Result(rounds, figures[0], figures[1], load.throttled());
        } finally {
            server.close();
            FailoverBenchCommand.deleteQuietly(data);
        }
    }

    /** Creates a running VM of coordination group {@code group} (optionally on {@code host}) and returns its token. */
    static String member(BenchApi api, String name, String group, String host, boolean protect) {
        var body = new java.util.LinkedHashMap<String, Object>(Map.of("name", name, "memory", "64M", "labels", Map.of("group", group)));
        if (host != null) body.put("host", host);
        if (protect) body.put("protection", "restart");
        BenchApi.ok(api.post("/api/v1/vms", body), 202);
        return name;
    }

    static String token(BenchApi api, String vm) {
        var t = api.post("/api/v1/vms/" + vm + "/coord-token", Map.of());
        BenchApi.ok(t, 201);
        return t.json().path("token").asText();
    }
}
