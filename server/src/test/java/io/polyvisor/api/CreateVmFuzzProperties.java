package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polyvisor.server.TestServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.file.Files;
import java.util.List;

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

    @BeforeContainer
    static void start() throws Exception {
        s = TestServer.start(Files.createTempDirectory("fuzz"), 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}").status()).isEqualTo(201);
    }

    @AfterContainer
    static void stop() {
        s.close();
    }

    @Property(tries = 300)
    void neverA5xxAndNothingLeftBehindWhenRefused(@ForAll("bodies") String body) {
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
    }

    private static long lastSeq() {
        JsonNode all = s.get("/api/v1/events?limit=1000&after=0").json();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).path("seq").asLong();
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> objects = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(8)),
                        value(2)).ofMaxSize(8)
                .map(m -> {
                    ObjectNode o = F.objectNode();
                    m.forEach(o::set);
                    return o.toString();
                });
        Arbitrary<String> plausible = Arbitraries.of("web", "a", "Web_1", "x-", "db1").flatMap(name ->
                value(1).map(v -> "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"vcpus\":" + v + "}"));
        Arbitrary<String> broken = objects.map(t -> t.length() > 2 ? t.substring(0, t.length() / 2) : "{");
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(40);
        return Arbitraries.frequencyOf(Tuple.of(5, objects), Tuple.of(3, plausible), Tuple.of(1, broken), Tuple.of(1, junk));
    }

    private static Arbitrary<JsonNode> value(int depth) {
        List<Arbitrary<JsonNode>> leaves = List.of(
                Arbitraries.just(F.nullNode()),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.integers().map(F::numberNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30)).map(F::numberNode),
                Arbitraries.doubles().map(F::numberNode),
                Arbitraries.of("256M", "1G", "0", "-5", "4T", "99999999999999999G", "/boot/../x", "none", "restart", "h1", "", "\u0000", "ü")
                        .map(F::textNode),
                Arbitraries.strings().ofMaxLength(30).map(F::textNode));
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(leaves);
        if (depth == 0) return leaf;
        Arbitrary<JsonNode> array = value(depth - 1).list().ofMaxSize(4).map(l -> {
            var a = F.arrayNode();
            l.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.of("kernel", "image", "initrd", "cmdline", "k", "app"), value(depth - 1))
                .ofMaxSize(3).map(m -> {
                    ObjectNode o = F.objectNode();
                    m.forEach(o::set);
                    return o;
                });
        return Arbitraries.frequencyOf(Tuple.of(6, leaf), Tuple.of(1, array), Tuple.of(2, object));
    }

}
