package io.polyvisor.ha;

import io.polyvisor.api.Body;
import io.polyvisor.api.Route;
import io.polyvisor.api.Nullable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.polyvisor.ha.FenceConfig;
import io.polyvisor.ha.HaService;
import io.polyvisor.ha.HaSettings;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** /api/v1/ha: cluster HA settings, status, and per-host fence agents (secrets never returned). */
final class HaRoutes {
    private final HaService ha;
    private final Store store;
    private final ObjectMapper mapper;

    HaRoutes(HaService ha, Store store, ObjectMapper mapper) {
        this.ha = ha;
        this.store = store;
        this.mapper = mapper;
    }

    List<Route> routes() {
        String fence = "/api/v1/ha/hosts/{name}/fence-agent";
        return List.of(
                Route.get("/api/v1/ha/status", "Hosts' health, protected VMs, reserved capacity and recent failovers", "HaStatus",
                        ctx -> ctx.json(ha.status())),
                Route.get("/api/v1/ha/settings", "High-availability settings", "HaSettings", ctx -> ctx.json(ha.settings())),
                new Route(HandlerType.PUT, "/api/v1/ha/settings", "Change high-availability settings (admission control)", 200,
                        "HaSettings", "HaSettings", this::putSettings),
                Route.get(fence, "The host's fence agent (secret options shown as ***)", "FenceAgent", ctx -> ctx.json(view(ctx))),
                new Route(HandlerType.PUT, fence, "Set the host's fence agent (a fence_* program and its options)", 200,
                        "FenceAgent", "FenceAgent", this::putFence));
    }

    private void putSettings(Context ctx) {
        Body b = Body.parse(mapper, ctx.body(), Set.of("tolerate_host_failures", "fence_retry_seconds"));
        HaSettings cur = ha.settings();
        Integer n = b.integer("tolerate_host_failures");
        Integer r = b.integer("fence_retry_seconds");
        ctx.json(ha.putSettings(new HaSettings(n == null ? cur.tolerateHostFailures() : n, r == null ? cur.fenceRetrySeconds() : r)));
    }

    private void putFence(Context ctx) {
        String host = host(ctx);
        Body b = Body.parse(mapper, ctx.body(), Set.of("agent", "options"));
        String agent = b.string("agent");
        ha.putFenceAgent(host, agent == null ? null : new FenceConfig(agent, b.stringMap("options")));
        ctx.json(view(ctx));
    }

    /** A host's fence agent; {@code agent} null when none is set; secret option values are {@code ***}. */
    record FenceAgentView(String host, @Nullable String agent, Map<String, String> options) {}

    private FenceAgentView view(Context ctx) {
        String host = host(ctx);
        var cfg = ha.fenceAgent(host);
        return new FenceAgentView(host, cfg.map(FenceConfig::agent).orElse(null), cfg.map(FenceConfig::redacted).orElse(Map.of()));
    }

    private String host(Context ctx) {
        String name = ctx.pathParam("name");
        if (store.host(name).isEmpty()) throw Refusal.notFound("host " + name + " not found");
        InvalidInput.require(name.length() <= 63, "host name too long");
        return name;
    }
}
