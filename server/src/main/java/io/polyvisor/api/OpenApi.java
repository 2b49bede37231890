package io.polyvisor.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document from the route table (paths, methods, parameters, statuses) and the
 * schemas below. Routes are never listed here by hand, so the document cannot miss one.
 */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    private OpenApi() {}

    static Map<String, Object> document(List<Route> routes, String version) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route r : routes) {
            @SuppressWarnings("unchecked")
            var item = (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<String, Object>());
            item.put(r.method().name().toLowerCase(Locale.ROOT), operation(r));
        }
        return map("openapi", "3.1.0",
                "info", map("title", "Polyvisor API", "version", version,
                        "description", "One control plane for VMs on any hypervisor. Errors are application/problem+json."),
                "servers", List.of(map("url", "/")),
                "security", List.of(map("bearer", List.of())),
                "paths", paths,
                "components", map("securitySchemes", map("bearer", map("type", "http", "scheme", "bearer",
                                "description", "the contents of DATA/admin.token")),
                        "schemas", Schemas.ALL));
    }

    private static Map<String, Object> operation(Route r) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId(r));
        op.put("summary", r.summary());
        List<Object> params = new ArrayList<>();
        Matcher m = PARAM.matcher(r.path());
        while (m.find()) {
            params.add(map("name", m.group(1), "in", "path", "required", true, "schema", map("type", "string")));
        }
        for (String q : r.query()) {
            String[] nd = q.split(":", 2);
            params.add(map("name", nd[0], "in", "query", "required", false, "description", nd[1], "schema", map("type", "string")));
        }
        if (!params.isEmpty()) op.put("parameters", params);
        if (r.request() != null) {
            op.put("requestBody", map("required", !r.request().equals("Empty") && !r.request().equals("StopVm"),
                    "content", map("application/json", map("schema", ref(r.request())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(Integer.toString(r.status()), success(r));
        for (int s : new int[] {400, 401, 404, 409, 422, 500}) {
            if (s == 401 && r.open()) continue;
            if (s == 422 && !(r.path().equals("/api/v1/vms") || r.path().endsWith("/migrate"))) continue;
            responses.put(Integer.toString(s), map("description", Problems.title(s),
                    "content", map(Problems.CONTENT_TYPE, map("schema", ref("Problem")))));
        }
        op.put("responses", responses);
        if (r.open()) op.put("security", List.of());
        return op;
    }

    private static Map<String, Object> success(Route r) {
        String resp = r.response();
        if (resp == null) return map("description", "No content");
        return switch (resp) {
            case "Metrics" -> map("description", "Prometheus text format", "content", map("text/plain", map("schema", map("type", "string"))));
            case "EventStream" -> map("description", "Server-sent events: id = seq, event = type, data = Event JSON",
                    "content", map("text/event-stream", map("schema", map("type", "string"))));
            default -> map("description", "OK", "content", map("application/json", map("schema",
                    resp.endsWith("[]") ? map("type", "array", "items", ref(resp.substring(0, resp.length() - 2))) : ref(resp))));
        };
    }

    static String operationId(Route r) {
        StringBuilder b = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
        for (String seg : r.path().split("/")) {
            if (seg.isEmpty() || seg.equals("api") || seg.equals("v1")) continue;
            String s = seg.startsWith("{") ? "By" + seg.substring(1, seg.length() - 1) : seg;
            s = s.replace(".json", "Json");
            b.append(Character.toUpperCase(s.charAt(0))).append(s.substring(1));
        }
        return b.toString();
    }

    static Map<String, Object> ref(String schema) {
        return map("$ref", "#/components/schemas/" + schema);
    }

    /** An insertion-ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
