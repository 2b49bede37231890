package io.polyvisor.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.disk.SharedPool;
import io.polyvisor.disk.Volume;
import io.polyvisor.store.Store;

import java.util.List;

import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** {@code /api/v1/pools}: shared pools and the hosts that declare them (docs/STORAGE.md). Admin only. */
final class PoolRoutes {
    private static final Object NAME = map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$");
    private static final Object HOST = map("type", "string", "description", "a host that mounts the directory at the path");
    static final Payload.Written CREATE_POOL = new Payload.Written("CreatePool", object(List.of("name", "path", "hosts"),
            "name", NAME, "path", map("type", "string", "description", "the directory every host mounts the pool at (absolute)"),
            "hosts", map("type", "array", "items", HOST, "minItems", 1, "maxItems", 64)), false);
    static final Payload.Written ADD_HOST = new Payload.Written("AddPoolHost", object(List.of("host"), "host", HOST), false);

    /**
     * @param shared  always true: every host's local pool ({@code polyvisor}) is not declared, only shared ones are
     * @param volumes the volumes in it
     */
    record PoolView(String name, String path, List<String> hosts, boolean shared, List<String> volumes) {}

    private final Store store;
    private final Pools pools;
    private final ObjectMapper mapper;

    PoolRoutes(Store store, Pools pools, ObjectMapper mapper) {
        this.store = store;
        this.pools = pools;
        this.mapper = mapper;
    }

    List<Route> routes() {
        var view = Payload.of(PoolView.class);
        return List.of(
                Route.get("/api/v1/pools", "List shared pools", Payload.listOf(PoolView.class),
                        ctx -> ctx.json(pools.all().stream().map(this::view).toList())),
                Route.post("/api/v1/pools", "Declare a shared pool: a directory the given hosts mount at the same path", 201, CREATE_POOL,
                        view, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), CREATE_POOL.fields());
                            var p = new SharedPool(b.requiredString("name"), b.requiredString("path"), b.stringList("hosts"));
                            ctx.status(201).json(view(pools.create(p)));
                        }),
                Route.get("/api/v1/pools/{name}", "Show a shared pool", view, ctx -> ctx.json(view(pools.find(ctx.pathParam("name"))))),
                Route.delete("/api/v1/pools/{name}", "Delete a shared pool's declaration (refused while it holds volumes)", 204, null, ctx -> {
                    pools.delete(ctx.pathParam("name"));
                    ctx.status(204);
                }),
                Route.post("/api/v1/pools/{name}/hosts", "Declare a shared pool on one more host (which must see its files)", 200,
                        ADD_HOST, view, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), ADD_HOST.fields());
                            ctx.json(view(pools.addHost(ctx.pathParam("name"), b.requiredString("host"))));
                        }),
                Route.delete("/api/v1/pools/{name}/hosts/{host}", "Take a shared pool off a host (refused while VMs there use it)", 200,
                        view, ctx -> ctx.json(view(pools.removeHost(ctx.pathParam("name"), ctx.pathParam("host"))))));
    }

    private PoolView view(SharedPool p) {
        return new PoolView(p.name(), p.path(), p.hosts(), true,
                store.volumes().stream().filter(v -> p.name().equals(v.pool())).map(Volume::name).toList());
    }
}
