package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.polyvisor.testing.Gen.weighted;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random JSON bodies (right and wrong field names, every JSON type, out-of-range numbers, hostile strings,
 * broken JSON) to POST /api/v1/vms: the answer is 202 or a 4xx problem, never a 5xx, and a refused
 * request leaves no VM, task or event behind.
 */
class CreateVmFuzzProperties {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("name", "vcpus", "memory", "memory_bytes", "boot", "host", "protection",
            "priority", "labels", "expose", "start");
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(Files.createTempDirectory("fuzz"), 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void neverA5xxAndNothingLeftBehindWhenRefused() {
        Property.forAll(bodies()).tries(300).check(body -> {
            int vmsBefore = s.get("/api/v1/vms").json().size();
            long lastEvent = lastSeq();
            var r = s.post("/api/v1/vms", body);
            assertThat(r.status()).as(body + " -> " + r.text()).isIn(202, 400, 409, 413, 422);
            if (r.status() == 202) {
                String name = r.json().path("vm").path("name").asText();
                var d = s.delete("/api/v1/vms/" + name);
                assertThat(d.status()).isEqualTo(202);
                s.awaitTask(d.json().path("id").asText());
            } else {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.json().path("detail").asText()).isNotBlank().doesNotContain("Exception");
                assertThat(s.get("/api/v1/vms").json().size()).as("no VM row left by " + body).isEqualTo(vmsBefore);
                // other events may still arrive from earlier work (the previous delete's last one); none from this request
                assertThat(s.get("/api/v1/events?limit=1000&after=" + lastEvent).json())
                        .extracting(e -> e.path("type").asText()).as("events after refusing " + body).doesNotContain("vm.created", "task.queued");
            }
        });
    }

    private static long lastSeq() {
        JsonNode all = s.get("/api/v1/events?limit=1000&after=0").json();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).path("seq").asLong();
    }

    /** Objects of known and unknown fields, plausible requests with odd vcpus, truncated JSON and plain junk. */
    static Gen<String> bodies() {
        Gen<String> objects = objects(Gen.oneOf(Gen.elements(FIELDS), Gen.strings(8)), value(2), 8).map(JsonNode::toString);
        Gen<String> plausible = Gen.zip(Gen.elements(List.of("web", "a", "Web_1", "x-", "db1")), value(1),
                (name, v) -> "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"vcpus\":" + v + "}");
        Gen<String> broken = objects.map(t -> t.length() > 2 ? t.substring(0, t.length() / 2) : "{");
        Gen<String> junk = Gen.strings(40);
        return Gen.frequency(weighted(5, objects), weighted(3, plausible), weighted(1, broken), weighted(1, junk));
    }

    /** Up to {@code maxFields} fields; a name drawn twice keeps its last value, as a JSON object would. */
    private static Gen<JsonNode> objects(Gen<String> names, Gen<JsonNode> values, int maxFields) {
        return Gen.zip(names, values, Map::entry).list(0, maxFields).map(fields -> {
            ObjectNode o = F.objectNode();
            fields.forEach(f -> o.set(f.getKey(), f.getValue()));
            return o;
        });
    }

    private static Gen<JsonNode> value(int depth) {
        BigInteger big = BigInteger.TEN.pow(30);
        Gen<JsonNode> leaf = Gen.oneOf(List.of(
                Gen.constant(F.nullNode()),
                Gen.booleans().<JsonNode>map(F::booleanNode),
                Gen.ints().<JsonNode>map(F::numberNode),
                Gen.longs().<JsonNode>map(F::numberNode),
                Gen.bigIntegers(big.negate(), big).<JsonNode>map(F::numberNode),
                Gen.doubles().<JsonNode>map(F::numberNode),
                Gen.elements(List.of("256M", "1G", "0", "-5", "4T", "99999999999999999G", "/boot/../x", "none", "restart", "h1", "", "\u0000", "ü"))
                        .<JsonNode>map(F::textNode),
                Gen.strings(30).<JsonNode>map(F::textNode)));
        if (depth == 0) return leaf;
        Gen<JsonNode> array = value(depth - 1).list(0, 4).map(l -> {
            var a = F.arrayNode();
            l.forEach(a::add);
            return a;
        });
        Gen<JsonNode> object = objects(Gen.elements(List.of("kernel", "image", "initrd", "cmdline", "k", "app")), value(depth - 1), 3);
        return Gen.frequency(weighted(6, leaf), weighted(1, array), weighted(2, object));
    }
}
