package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTest {
    @TempDir
    Path data;

    @Test
    void documentListsEveryRouteJavalinRegistered() {
        try (var s = TestServer.start(data, 0)) {
            JsonNode doc = s.get("/api/v1/openapi.json").json();
            assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
            Set<String> documented = new HashSet<>();
            doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
            var api = s.server.api();
            assertThat(api.registeredEndpoints()).hasSizeGreaterThanOrEqualTo(23);
            assertThat(documented).containsExactlyInAnyOrderElementsOf(api.registeredEndpoints().stream().map(OpenApi::documented).toList());
            // a key path may span '/': written {key} in the document, and said so in its parameter
            var keyParam = doc.path("paths").path("/v1/kv/{key}").path("put").path("parameters").get(0);
            assertThat(keyParam.path("name").asText()).isEqualTo("key");
            assertThat(keyParam.path("x-polyvisor-slashes").asBoolean()).isTrue();
            assertThat(doc.path("paths").has("/v1/kv/<key>")).isFalse();
            // every $ref resolves
            Set<String> schemas = new HashSet<>();
            doc.path("components").path("schemas").fieldNames().forEachRemaining(schemas::add);
            doc.findValuesAsText("$ref").forEach(ref -> assertThat(schemas).contains(ref.substring(ref.lastIndexOf('/') + 1)));
            // the open route says so; the others need the bearer token
            assertThat(doc.path("paths").path("/healthz").path("get").path("security")).isEmpty();
            // the guest API names the VM's coordination token, not the users' credentials and not none
            assertThat(doc.path("paths").path("/v1/self").path("get").path("security").toString()).isEqualTo("[{\"coordToken\":[]}]");
            assertThat(doc.path("components").path("securitySchemes").path("coordToken").path("scheme").asText()).isEqualTo("bearer");
            assertThat(doc.path("paths").path("/api/v1/vms").path("post").path("responses").has("422")).isTrue();
            // a route that reads a body can time out waiting for it, refuse its size or its media type; others cannot
            assertThat(doc.path("paths").path("/api/v1/vms").path("post").path("responses").fieldNames())
                    .toIterable().contains("408", "413", "415");
            assertThat(doc.path("paths").path("/api/v1/vms").path("get").path("responses").fieldNames())
                    .toIterable().doesNotContain("408", "413", "415");
            assertThat(doc.path("paths").path("/api/v1/vms/{ref}/migrate").path("post").path("parameters").get(0).path("name").asText())
                    .isEqualTo("ref");
            // the serial console's WebSocket: a GET that switches protocols, its messages and close codes described
            JsonNode serial = doc.path("paths").path("/api/v1/vms/{ref}/serial").path("get");
            assertThat(serial.path("responses").fieldNames()).toIterable().containsExactly("101");
            assertThat(serial.path("x-polyvisor-websocket").asBoolean()).isTrue();
            assertThat(serial.path("parameters").get(0).path("name").asText()).isEqualTo("ref");
            assertThat(serial.path("description").asText()).contains("binary", "1008", "notice");
        }
    }
}
