package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operations of an OpenAPI document, as {@link OpenApiFuzzTest} fuzzes them: every path and method, with its path
 * and query parameters, its request body schema ($refs resolved) and whether it changes state. Operations that cannot
 * be fuzzed with one request and one bounded answer are set apart with the reason ({@link #skipped}); nothing else
 * is left out, so a route added to the document is fuzzed without a change here.
 */
record FuzzedOperations(List<Operation> operations, Map<String, String> skipped) {
    private static final Pattern PARAM = Pattern.compile("[{<]([a-z_]+)[}>]");

    /**
     * @param path         the template, such as {@code /api/v1/vms/{ref}/disks/{volume}}
     * @param body         the request body schema, resolved; null for an operation that reads no body
     * @param permission   {@code read}, another permission, or null for an open route
     * @param textual      whether its success answer is text rather than JSON
     */
    record Operation(String method, String path, List<String> pathParams, List<String> queryParams, JsonNode body,
                     boolean bodyRequired, String permission, boolean textual) {
        boolean mutating() {
            return !method.equals("GET");
        }

        /** The path with each parameter replaced by the (already encoded) value given for it. */
        String fill(List<String> values) {
            Matcher m = PARAM.matcher(path);
            var b = new StringBuilder();
            int i = 0;
            while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(values.get(i++)));
            m.appendTail(b);
            return b.toString();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static FuzzedOperations of(JsonNode doc) {
        List<Operation> ops = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            var p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields(); methods.hasNext(); ) {
                var m = methods.next();
                String method = m.getKey().toUpperCase(Locale.ROOT);
                JsonNode op = m.getValue();
                String key = method + " " + p.getKey();
                String why = skipReason(op);
                if (why != null) {
                    skipped.put(key, why);
                    continue;
                }
                List<String> pathParams = new ArrayList<>(), query = new ArrayList<>();
                for (JsonNode param : op.path("parameters")) {
                    (param.path("in").asText().equals("path") ? pathParams : query).add(param.path("name").asText());
                }
                JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
                JsonNode success = op.path("responses").fields().next().getValue().path("content");
                boolean textual = success.size() > 0 && !success.has("application/json");
                ops.add(new Operation(method, p.getKey(), pathParams, query, body.isMissingNode() ? null : resolve(doc, body),
                        op.path("requestBody").path("required").asBoolean(false),
                        userless(op.path("security")) ? null : op.path("x-polyvisor-permission").asText("read"),
                        textual));
            }
        }
        return new FuzzedOperations(List.copyOf(ops), skipped);
    }

    /**
     * Whether an operation takes no user credential: open ({@code security: []}) or the guest API's (the VM's own
     * coordination token, scheme {@code coordToken}), which a user's token does not open.
     */
    private static boolean userless(JsonNode security) {
        if (!security.isArray()) return false;
        for (JsonNode s : security) if (!s.has("coordToken") || s.size() != 1) return false;
        return true;
    }

    /** Why an operation cannot be fuzzed generically, or null. */
    private static String skipReason(JsonNode op) {
        if (op.path("x-polyvisor-websocket").asBoolean()) {
            return "a WebSocket: its refusals are close codes after the upgrade, not HTTP answers (ConsoleSocketTest and the socket's own tests)";
        }
        for (JsonNode r : op.path("responses")) {
            if (r.path("content").has("text/event-stream")) {
                return "an event stream: its success answer never ends, so one request has no bounded answer (EventStreamTest)";
            }
        }
        return null;
    }

    /** The schema with every {@code $ref} replaced by its definition (a recursive reference is cut at depth 6). */
    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        return resolve(doc, schema, 0);
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema, int depth) {
        if (depth > 6) return MissingNode.getInstance();
        if (schema.has("$ref")) {
            JsonNode target = doc.at(schema.path("$ref").asText().substring(1));
            return resolve(doc, target, depth + 1);
        }
        if (!schema.isObject()) return schema;
        var copy = schema.deepCopy();
        var o = (com.fasterxml.jackson.databind.node.ObjectNode) copy;
        for (String k : List.of("items", "additionalProperties")) {
            if (schema.path(k).isObject()) o.set(k, resolve(doc, schema.path(k), depth + 1));
        }
        if (schema.path("properties").isObject()) {
            var props = o.putObject("properties");
            schema.path("properties").fields().forEachRemaining(e -> props.set(e.getKey(), resolve(doc, e.getValue(), depth + 1)));
        }
        for (String k : List.of("oneOf", "anyOf", "allOf")) {
            if (schema.path(k).isArray()) {
                var arr = o.putArray(k);
                schema.path(k).forEach(s -> arr.add(resolve(doc, s, depth + 1)));
            }
        }
        return copy;
    }
}
