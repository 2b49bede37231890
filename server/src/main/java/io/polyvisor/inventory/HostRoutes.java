package io.polyvisor.inventory;

import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.api.Views;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.drivers.Connections;
import io.polyvisor.inventory.HostRequests;
import io.polyvisor.drivers.UsageView;
import io.polyvisor.model.Host;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.store.Store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.BOOLEAN;
import static io.polyvisor.api.WrittenSchema.LABELS;
import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.object;

/** /api/v1/hosts and /api/v1/drivers. */
final class HostRoutes {
    /** What {@link #add} reads. */
    static final Payload.Written ADD_HOST = new Payload.Written("AddHost",
            object(List.of("uri"), "uri", STRING, "name", STRING, "labels", LABELS), false);
    static final Payload.Written MAINTENANCE = new Payload.Written("Maintenance", object(List.of("enabled"), "enabled", BOOLEAN), false);

    private final Store store;
    private final HostRequests requests;
    private final Connections conns;
    private final UsageView usage;
    private final ObjectMapper mapper;

    HostRoutes(Store store, HostRequests requests, Connections conns, UsageView usage, ObjectMapper mapper) {
        this.store = store;
        this.requests = requests;
        this.conns = conns;
        this.usage = usage;
        this.mapper = mapper;
    }

    record DriverView(String name, List<String> schemes, List<String> capabilities) {}

    List<Route> routes() {
        String one = "/api/v1/hosts/{name}";
        return List.of(
                Route.get("/api/v1/drivers", "List the hypervisor drivers on the class path", Payload.listOf(DriverView.class), ctx -> ctx.json(
                        conns.drivers().providers().stream().map(p -> new DriverView(p.name(), p.schemes(), labels(p.capabilities()))).toList())),
                Route.get("/api/v1/hosts", "List hosts", Payload.listOf(Views.HostView.class), ctx -> ctx.json(store.hosts().stream().map(this::view).toList())),
                Route.post("/api/v1/hosts", "Add a host (connects to it first)", 201, ADD_HOST, Payload.of(Views.HostView.class), this::add),
                Route.get(one, "Show a host", Payload.of(Views.HostView.class), ctx -> ctx.json(view(requests.find(ctx.pathParam("name"))))),
                Route.delete(one, "Remove a host that has no VMs", 204, null, ctx -> {
                    requests.remove(ctx.pathParam("name"));
                    ctx.status(204);
                }),
                Route.post(one + "/maintenance", "Put a host in or out of maintenance", 200, MAINTENANCE,
                        Payload.of(Views.HostView.class), ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), MAINTENANCE.fields());
                    Boolean enabled = b.bool("enabled");
                    InvalidInput.require(enabled != null, "enabled is required");
                    ctx.json(view(requests.maintenance(ctx.pathParam("name"), enabled)));
                }));
    }

    private void add(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), ADD_HOST.fields());
        String text = b.requiredString("uri");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidInput("uri is not a valid URI: " + e.getReason());
        }
        InvalidInput.require(uri.getScheme() != null, "uri must have a scheme such as qemu:// or sim://");
        Host h = requests.add(uri, b.string("name"), b.stringMap("labels"));
        ctx.status(201).json(view(h));
    }

    private Views.HostView view(Host h) {
        String driver;
        List<String> caps;
        try {
            DriverProvider p = conns.drivers().forUri(h.uri());
            driver = p.name();
            caps = conns.ifOpen(h.name()).map(c -> labels(c.capabilities())).orElse(labels(p.capabilities()));
        } catch (InvalidInput noDriver) {
            driver = null;
            caps = List.of();
        }
        return Views.host(h, driver, store.vmsOnHost(h.name()).size(), caps, usage.host(h.name()).orElse(null));
    }

    private static List<String> labels(Set<Capability> caps) {
        return caps.stream().sorted().map(Capability::label).toList();
    }
}
