package io.polyvisor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.polyvisor.api.WrittenSchema.map;

/**
 * Builds the OpenAPI 3.1 document from the route table: paths, methods, parameters and statuses from the
 * routes, body schemas from the types they name ({@link ViewSchemas}) or the schemas their parsers come with
 * ({@link Payload.Written}), errors as {@link Problems.Problem}. Nothing is listed here by hand, so the document
 * cannot miss a route or a field.
 */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("[{<]([a-z_]+)[}>]");

    private final ViewSchemas views;
    private final Map<String, Object> written = new LinkedHashMap<>();
    private final ObjectNode problem;

    private OpenApi(Map<String, Class<?>> vmFacets) {
        this.views = new ViewSchemas(vmFacets);
        this.problem = views.reference(Problems.Problem.class);
    }

    /** @param vmFacets the fields features add to every VM, with their types, in order */
    static Map<String, Object> document(List<Route> routes, List<Socket> sockets, String version, Map<String, Class<?>> vmFacets) {
        return new OpenApi(vmFacets).build(routes, sockets, version);
    }

    private Map<String, Object> build(List<Route> routes, List<Socket> sockets, String version) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route r : routes) {
            @SuppressWarnings("unchecked")
            var item = (Map<String, Object>) paths.computeIfAbsent(documented(r.path()), p -> new LinkedHashMap<String, Object>());
            item.put(r.method().name().toLowerCase(Locale.ROOT), operation(r));
        }
        for (Socket sk : sockets) {
            @SuppressWarnings("unchecked")
            var item = (Map<String, Object>) paths.computeIfAbsent(sk.path(), p -> new LinkedHashMap<String, Object>());
            if (item.put("get", socket(sk)) != null) throw new IllegalStateException("a route and a WebSocket share GET " + sk.path());
        }
        Map<String, Object> schemas = new LinkedHashMap<>();
        views.definitions().fields().forEachRemaining(e -> schemas.put(e.getKey(), e.getValue()));
        written.forEach((name, schema) -> {
            if (schemas.put(name, schema) != null) throw new IllegalStateException("two schemas are named " + name);
        });
        return map("openapi", "3.1.0",
                "info", map("title", "Polyvisor API", "version", version,
                        "description", "One control plane for VMs on any hypervisor. Errors are application/problem+json in UTF-8. "
                                + "Besides the statuses listed per operation, any request may get 400 (malformed), 414 (URI too long), "
                                + "431 (headers too large) or 505 (HTTP version) from the web server, and 405 with Allow for a "
                                + "method the path lacks."),
                "servers", List.of(map("url", "/")),
                "security", List.of(map("bearer", List.of()), map("session", List.of())),
                "paths", paths,
                "components", map("securitySchemes", map("bearer", map("type", "http", "scheme", "bearer",
                                "description", "the contents of DATA/admin.token, or a user's token (polyvisor user create)"),
                                "session", map("type", "apiKey", "in", "cookie", "name", Sessions.COOKIE,
                                        "description", "a browser session from POST /api/v1/session; state-changing requests "
                                                + "must also send the " + Csrf.HEADER + " header"),
                                GUEST_SCHEME, map("type", "http", "scheme", "bearer",
                                        "description", "a VM's own coordination token (docs/COORDINATION.md), handed in at boot "
                                                + "or minted by POST /api/v1/vms/{ref}/coord-token; the guest API under " + GUEST_PREFIX
                                                + " answers the calling VM only")),
                        "schemas", schemas));
    }

    /**
     * The guest API (docs/COORDINATION.md): its routes are open to the user credential check and authenticate the
     * calling VM by its coordination token themselves, which the document names as their security scheme.
     */
    static final String GUEST_PREFIX = "/v1/";
    static final String GUEST_SCHEME = "coordToken";

    private Map<String, Object> operation(Route r) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId(r));
        op.put("summary", r.summary());
        List<Object> params = pathParameters(r.path());
        for (String q : r.query()) {
            String[] nd = q.split(":", 2);
            params.add(map("name", nd[0], "in", "query", "required", false, "description", nd[1], "schema", map("type", "string")));
        }
        if (!params.isEmpty()) op.put("parameters", params);
        if (r.request() != null) {
            boolean optional = r.request() instanceof Payload.Written w && w.optional();
            op.put("requestBody", map("required", !optional, "content", map("application/json", map("schema", schema(r.request())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(Integer.toString(r.status()), success(r.response()));
        for (int s : new int[] {400, 401, 403, 404, 408, 409, 413, 415, 422, 500}) {
            // an open GET needs no credential; an open POST (signing in) checks the one in its body
            if (s == 401 && r.open() && r.method() == io.javalin.http.HandlerType.GET) continue;
            // 403: a caller whose role lacks the route's permission, or a state-changing request by session cookie that
            // fails the CSRF check (Csrf); a GET that any role may call has neither
            if (s == 403 && r.method() == io.javalin.http.HandlerType.GET
                    && (r.open() || r.permission() == io.polyvisor.access.Permission.READ)) continue;
            // only a route that reads a body waits for one, limits it and checks its media type (HttpEdge)
            if ((s == 408 || s == 413 || s == 415) && r.request() == null) continue;
            if (s == 422 && !(r.path().equals("/api/v1/vms") || r.path().endsWith("/migrate"))) continue;
            responses.put(Integer.toString(s), map("description", Problems.title(s),
                    "content", map(Problems.CONTENT_TYPE, map("schema", problem))));
        }
        op.put("responses", responses);
        if (r.open() && r.path().startsWith(GUEST_PREFIX)) op.put("security", List.of(map(GUEST_SCHEME, List.of())));
        else if (r.open()) op.put("security", List.of());
        else op.put("x-polyvisor-permission", r.permission().name().toLowerCase(Locale.ROOT));
        return op;
    }

    private static List<Object> pathParameters(String path) {
        List<Object> params = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            if (m.group().startsWith("<")) {
                params.add(map("name", m.group(1), "in", "path", "required", true, "schema", map("type", "string"),
                        "description", "the rest of the path: may hold '/' between its segments (a/b/c), each segment percent-encoded",
                        "x-polyvisor-slashes", true));
            } else {
                params.add(map("name", m.group(1), "in", "path", "required", true, "schema", map("type", "string")));
            }
        }
        return params;
    }

    /**
     * A route's path as OpenAPI writes it: the web server's {@code <name>} (a parameter that may span '/') becomes
     * {@code {name}}, described as such in its parameter ({@code x-polyvisor-slashes}).
     */
    static String documented(String path) {
        return path.replaceAll("<([a-z_]+)>", "{$1}");
    }

    /** A WebSocket as a GET that switches protocols; its refusals are close codes, described in its protocol. */
    private static Map<String, Object> socket(Socket sk) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId(Route.get(sk.path(), sk.summary(), null, ctx -> {})));
        op.put("summary", sk.summary());
        op.put("description", sk.protocol());
        List<Object> params = pathParameters(sk.path());
        if (!params.isEmpty()) op.put("parameters", params);
        op.put("responses", map("101", map("description", "Switching Protocols: the WebSocket is open")));
        op.put("x-polyvisor-websocket", true);
        return op;
    }

    private Map<String, Object> success(Payload body) {
        return switch (body) {
            case null -> map("description", "No content");
            case Payload.Text t -> map("description", t.description(), "content", map(t.mediaType(), map("schema", map("type", "string"))));
            default -> map("description", "OK", "content", map("application/json", map("schema", schema(body))));
        };
    }

    private Object schema(Payload body) {
        return switch (body) {
            case Payload.Typed t -> t.array() ? map("type", "array", "items", views.reference(t.type())) : views.reference(t.type());
            case Payload.Written w -> {
                Object before = written.putIfAbsent(w.name(), w.schema());
                if (before != null && !before.equals(w.schema())) throw new IllegalStateException("two schemas are named " + w.name());
                yield map("$ref", "#/" + ViewSchemas.COMPONENTS + "/" + w.name());
            }
            case Payload.Text t -> throw new IllegalArgumentException("a request body must be JSON, got " + t.mediaType());
        };
    }

    static String operationId(Route r) {
        StringBuilder b = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
        for (String seg : r.path().split("/")) {
            if (seg.isEmpty() || seg.equals("api") || seg.equals("v1")) continue;
            String s = seg.startsWith("{") || seg.startsWith("<") ? "By" + seg.substring(1, seg.length() - 1) : seg;
            s = s.replace(".json", "Json");
            b.append(Character.toUpperCase(s.charAt(0))).append(s.substring(1));
        }
        return b.toString();
    }
}
