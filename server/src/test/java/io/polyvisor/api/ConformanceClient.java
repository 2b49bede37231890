package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.polyvisor.server.TestServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that holds the server to its published OpenAPI document ({@code GET /api/v1/openapi.json}): every answer
 * must have a status the document lists for its route, and a JSON body must validate against the schema the
 * document gives for that route and status (JSON Schema 2020-12, as OpenAPI 3.1 says, formats asserted); every
 * JSON request body sent must validate against the route's request schema. It remembers the routes
 * ({@code METHOD /template}) that answered with a success status.
 */
final class ConformanceClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("\\{[a-z_]+}");

    private final TestServer server;
    private final JsonNode doc;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private final Map<String, Schema> schemas = new HashMap<>();
    private final Set<String> succeeded = new TreeSet<>();
    private int bodiesChecked;

    ConformanceClient(TestServer server) {
        this.server = server;
        TestServer.Response r = server.get("/api/v1/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        this.doc = r.json();
    }

    JsonNode document() {
        return doc;
    }

    /** The routes that answered with a 2xx status so far, as {@code METHOD /template}. */
    Set<String> succeeded() {
        return succeeded;
    }

    /** How many request and response bodies were validated against a schema. */
    int bodiesChecked() {
        return bodiesChecked;
    }

    TestServer.Response get(String path) {
        return send("GET", path, null, true, true);
    }

    TestServer.Response post(String path, String body) {
        return send("POST", path, body, true, true);
    }

    TestServer.Response put(String path, String body) {
        return send("PUT", path, body, true, true);
    }

    TestServer.Response delete(String path) {
        return send("DELETE", path, null, true, true);
    }

    /** Sends a body the request schema refuses (the answer is still checked). */
    TestServer.Response postInvalid(String path, String body) {
        return send("POST", path, body, true, false);
    }

    /** Sends without the bearer token. */
    TestServer.Response anonymous(String method, String path) {
        return send(method, path, null, false, true);
    }

    /**
     * Opens {@code path} as an event stream, reads up to the first event and closes it; checks the status and media
     * type, and the event's {@code data} against the Event schema. Returns that data.
     */
    JsonNode firstStreamedEvent(String path) {
        String template = template(path);
        JsonNode op = operation("GET", template, path);
        var req = server.request(path).GET().build();
        try (var client = HttpClient.newHttpClient()) {
            HttpResponse<java.io.InputStream> res = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            String type = res.headers().firstValue("Content-Type").orElse("");
            JsonNode documented = op.path("responses").path(Integer.toString(res.statusCode()));
            assertThat(documented.isMissingNode()).as("GET %s answered %d, which the document does not list", template, res.statusCode()).isFalse();
            assertThat(type).startsWith(documented.path("content").fieldNames().next());
            try (var in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                    // id: and event: lines come first
                }
                assertThat(line).as("no event on " + path).isNotNull();
                String data = line.substring("data: ".length());
                check(ref("Event"), data, "event data of GET " + template);
                if (res.statusCode() / 100 == 2) succeeded.add("GET " + template);
                return JSON.readTree(data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends as a guest VM: {@code bearer} (its coordination token) instead of the admin token. */
    TestServer.Response guest(String bearer, String method, String path, String body) {
        return send(method, path, body, false, true, bearer);
    }

    private TestServer.Response send(String method, String path, String body, boolean token, boolean validRequest) {
        return send(method, path, body, token, validRequest, null);
    }

    private TestServer.Response send(String method, String path, String body, boolean token, boolean validRequest, String bearer) {
        String template = template(path);
        JsonNode op = operation(method, template, path);
        String what = method + " " + template;
        if (validRequest && body != null && !body.isBlank()) {
            JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
            assertThat(schema.isMissingNode()).as("%s takes no JSON body, but the test sends one", what).isFalse();
            check(schema, body, "request body of " + what);
        }
        HttpRequest.Builder b = token ? server.request(path)
                : HttpRequest.newBuilder(URI.create(server.server.url() + path)).timeout(java.time.Duration.ofSeconds(20));
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (body != null) b.header("Content-Type", "application/json");
        b.header(Csrf.HEADER, "1"); // what the console sends; needed by signing in, ignored beside a bearer token
        TestServer.Response r = server.send(b.method(method, publisher).build());

        JsonNode documented = op.path("responses").path(Integer.toString(r.status()));
        assertThat(documented.isMissingNode()).as("%s answered %d, which the document does not list: %s", what, r.status(), r.text())
                .isFalse();
        JsonNode content = documented.path("content");
        if (content.isMissingNode()) {
            assertThat(r.text()).as("%s %d is documented without a body", what, r.status()).isEmpty();
        } else {
            String mediaType = content.fieldNames().next();
            assertThat(r.contentType()).as("media type of %s %d", what, r.status()).startsWith(mediaType);
            if (mediaType.endsWith("json")) check(content.path(mediaType).path("schema"), r.text(), what + " " + r.status());
        }
        if (r.status() / 100 == 2) succeeded.add(what);
        return r;
    }

    /** Validates {@code json} against {@code schema}, whose {@code $ref}s point into the document's components. */
    private void check(JsonNode schema, String json, String what) {
        Schema s = schemas.computeIfAbsent(schema.toString(), key -> {
            ObjectNode root = schema.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.set("components", doc.path("components"));
            return registry.getSchema(root.toString(), InputFormat.JSON);
        });
        var errors = s.validate(json, InputFormat.JSON);
        assertThat(errors).as("%s does not match the published schema %s\nbody: %s", what, schema, json).isEmpty();
        bodiesChecked++;
    }

    private static JsonNode ref(String component) {
        return JSON.createObjectNode().put("$ref", "#/components/schemas/" + component);
    }

    private JsonNode operation(String method, String template, String path) {
        JsonNode op = doc.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        assertThat(op.isMissingNode()).as("the document has no %s %s (for %s)", method, template, path).isFalse();
        return op;
    }

    /** The documented path template {@code path} falls under; a literal segment beats a parameter. */
    private String template(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            // {param} is one segment; one documented with x-polyvisor-slashes is the rest of the path (Javalin's <param>)
            var slashy = new java.util.HashSet<String>();
            doc.path("paths").path(t).forEach(op -> op.path("parameters").forEach(p -> {
                if (p.path("x-polyvisor-slashes").asBoolean()) slashy.add(p.path("name").asText());
            }));
            String regex = PARAM.matcher(Pattern.quote(t)).replaceAll(m -> slashy.contains(m.group().substring(1, m.group().length() - 1))
                    ? "\\\\E.+\\\\Q" : "\\\\E[^/]+\\\\Q");
            if (!bare.matches(regex)) continue;
            int literals = t.split("/").length - (int) PARAM.matcher(t).results().count();
            if (literals > bestLiterals) {
                best = t;
                bestLiterals = literals;
            }
        }
        assertThat(best).as("no documented path matches " + path).isNotNull();
        return best;
    }
}
