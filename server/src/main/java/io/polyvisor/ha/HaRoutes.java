package io.polyvisor.ha;

import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.api.Nullable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.ha.FenceConfig;
import io.polyvisor.ha.HaService;
import io.polyvisor.ha.HaSettings;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.LABELS;
import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.integer;
import static io.polyvisor.api.WrittenSchema.object;
import static io.polyvisor.api.WrittenSchema.orNull;

/** /api/v1/ha: cluster HA settings, status, and per-host fence agents (secrets never returned). */
final class HaRoutes {
    /** What {@link #putSettings} reads: the fields to change, in the bounds {@link HaSettings} checks. */
    static final Payload.Written SETTINGS_CHANGE = new Payload.Written("HaSettingsChange", object(List.of(),
            "tolerate_host_failures", integer(0, 8), "fence_retry_seconds", integer(5, 3600)), false);
    /** What {@link #putFence} reads: {@code agent} null (or absent) removes the host's fence agent. */
    static final Payload.Written FENCE_AGENT_CHANGE = new Payload.Written("FenceAgentChange",
            object(List.of(), "agent", orNull(STRING), "options", LABELS), false);
    private static final Payload SETTINGS = Payload.of(HaSettings.class);
    private static final Payload FENCE_AGENT = Payload.of(FenceAgentView.class);

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
                Route.get("/api/v1/ha/status", "Hosts' health, protected VMs, reserved capacity and recent failovers",
                        Payload.of(HaStatus.class), ctx -> ctx.json(ha.status())),
                Route.get("/api/v1/ha/settings", "High-availability settings", SETTINGS, ctx -> ctx.json(ha.settings())),
                Route.put("/api/v1/ha/settings", "Change high-availability settings (admission control)", SETTINGS_CHANGE, SETTINGS,
                        this::putSettings),
                Route.get(fence, "The host's fence agent (secret options shown as ***)", FENCE_AGENT, ctx -> ctx.json(view(ctx))),
                Route.put(fence, "Set the host's fence agent (a fence_* program and its options)", FENCE_AGENT_CHANGE, FENCE_AGENT,
                        this::putFence));
    }

    private void putSettings(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), SETTINGS_CHANGE.fields());
        HaSettings cur = ha.settings();
        Integer n = b.integer("tolerate_host_failures");
        Integer r = b.integer("fence_retry_seconds");
        ctx.json(ha.putSettings(new HaSettings(n == null ? cur.tolerateHostFailures() : n, r == null ? cur.fenceRetrySeconds() : r)));
    }

    private void putFence(Context ctx) {
        String host = host(ctx);
        Body b = Body.parse(mapper, Body.text(ctx), FENCE_AGENT_CHANGE.fields());
        // an empty body must not silently remove the agent: removal is an explicit "agent": null
        InvalidInput.require(b.present("agent"), "agent is required: a fence_* program name or absolute path, or null to remove the host's fence agent");
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
