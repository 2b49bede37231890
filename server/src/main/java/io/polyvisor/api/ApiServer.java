package io.polyvisor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.polyvisor.events.Journal;
import io.polyvisor.metrics.Metrics;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The REST API: Javalin with the route table, auth, problem+json errors, metrics, SSE, behind {@link HttpEdge}'s limits. */
public final class ApiServer implements AutoCloseable {

    /**
     * What the API itself serves besides the features' routes: events, metrics, who may call (the admin token and browser sessions), and for the OpenAPI
     * document the fields features add to every VM's JSON, with their types, in order.
     */
    public record Parts(Store store, Journal journal, Metrics metrics, Credentials credentials, Sessions sessions, String version,
                        Map<String, Class<?>> vmFacets) {}

    private final Javalin app;
    private final EventStream stream;
    private final List<Route> routes;
    private final List<String> registered;

    private ApiServer(Javalin app, EventStream stream, List<Route> routes, List<String> registered) {
        this.app = app;
        this.stream = stream;
        this.routes = routes;
        this.registered = registered;
    }

    /**
     * Builds the whole pipeline and starts listening on {@code bind:port} (0 = any free port): health, metrics,
     * the OpenAPI document and the event stream, then {@code featureRoutes} in the order given. With {@code tls} it
     * serves HTTPS only (no plain-HTTP listener at all); null serves plain HTTP.
     */
    public static ApiServer start(Parts p, ObjectMapper mapper, List<Route> featureRoutes, List<Socket> sockets, String bind, int port,
                                  javax.net.ssl.SSLContext tls) {
        EventStream stream = new EventStream(p.store(), p.journal(), mapper);
        List<Route> routes = new ArrayList<>();
        // generating the schemas takes some 300 ms: done once, at the first request (FutureTask runs at most once)
        var document = new FutureTask<>(() -> OpenApi.document(Collections.unmodifiableList(routes), List.copyOf(sockets), p.version(),
                p.vmFacets()));
        routes.add(Route.get("/healthz", "Liveness (no token needed)", Payload.of(Views.HealthView.class),
                ctx -> ctx.json(new Views.HealthView("ok"))).unauthenticated());
        routes.add(Route.get("/metrics", "Prometheus metrics", new Payload.Text("text/plain", "Prometheus text format"),
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(p.metrics().scrape())));
        routes.add(Route.get("/api/v1/openapi.json", "This document",
                new Payload.Written("OpenApi", WrittenSchema.map("type", "object", "description", "an OpenAPI 3.1 document"), false),
                ctx -> {
                    document.run();
                    ctx.json(document.get());
                }));
        routes.addAll(featureRoutes);
        routes.add(stream.route());

        Auth auth = new Auth(p.credentials(), p.sessions(), routes.stream().filter(Route::open).toList());
        AuditTrail audit = new AuditTrail(p.store(), java.time.Clock.systemUTC());
        List<String> registered = Collections.synchronizedList(new ArrayList<>());
        Set<HandlerType> endpoints = Stream.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
                HandlerType.DELETE).collect(Collectors.toSet());
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = true;
            config.http.prefer405over404 = true;
            HttpEdge.configure(config, mapper);
            if (tls != null) HttpEdge.https(config, tls, bind, port);
            config.jsonMapper(new JavalinJackson(mapper, false));
            // a WebSocket's endpoint is the GET of its upgrade, as the OpenAPI document lists it
            config.events(ev -> ev.wsHandlerAdded(h -> {
                if (h.getHandlerType() == io.javalin.websocket.WsHandlerType.WEBSOCKET) registered.add("GET " + h.getPath());
            }));
            config.events(ev -> ev.handlerAdded(h -> {
                if (endpoints.contains(h.getHttpMethod())) registered.add(h.getHttpMethod().name() + " " + h.getPath());
            }));
        });
        app.before(ctx -> ctx.attribute("t0", System.nanoTime()));
        app.before(MethodOverride::refuse);
        app.before(auth::check);
        routes.forEach(r -> app.addHttpHandler(r.method(), r.path(),
                permitted(r, r.request() == null ? r.handler() : JsonMediaType.guarding(r.handler()))));
        for (Socket sk : sockets) {
            // authenticated before the socket's own handlers run: an unknown caller is closed at once (1008)
            app.wsBefore(sk.path(), ws -> ws.onConnect(ctx -> auth.webSocket(ctx.header("Authorization"), ctx.cookie(Sessions.COOKIE))
                    .ifPresentOrElse(who -> Caller.set(ctx, who), () -> ctx.closeSession(1008, "missing or wrong token, or session expired"))));
            app.ws(sk.path(), sk.handler());
        }
        Problems.install(app, mapper);
        app.after(ctx -> {
            Long t0 = ctx.attribute("t0");
            String route;
            try {
                route = ctx.endpointHandlerPath();
            } catch (RuntimeException unmatched) {
                route = "unmatched";
            }
            if (t0 != null) p.metrics().httpRequest(ctx.method().name(), route, ctx.statusCode(), System.nanoTime() - t0);
        });
        app.after(audit::record);
        app.start(bind, port);
        return new ApiServer(app, stream, List.copyOf(routes), registered);
    }

    /**
     * {@code handler}, run only for a caller whose role allows the route's permission: the one place where roles are
     * checked (403 otherwise, before the body is read). Open routes have no caller to check.
     */
    private static io.javalin.http.Handler permitted(Route r, io.javalin.http.Handler handler) {
        if (r.open()) return handler;
        return ctx -> {
            var caller = Caller.of(ctx);
            if (!caller.allows(r.permission())) {
                throw new io.javalin.http.ForbiddenResponse(caller.role().label() + " " + caller.name() + " may not call "
                        + r.key() + ": it needs " + needed(r.permission()));
            }
            handler.handle(ctx);
        };
    }

    private static String needed(io.polyvisor.access.Permission p) {
        return switch (p) {
            case READ -> "any role";
            case OPERATE -> "the operator or admin role";
            case ADMIN -> "the admin role";
        };
    }

    public int port() {
        return app.port();
    }

    /** The route table the OpenAPI document is built from. */
    List<Route> routes() {
        return routes;
    }

    /** Every endpoint Javalin actually registered, as {@code METHOD /path}. */
    public List<String> registeredEndpoints() {
        return List.copyOf(registered);
    }

    @Override
    public void close() {
        stream.close();
        app.stop();
    }
}
