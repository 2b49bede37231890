package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of {@code /api/v1/openapi.json}, fuzzed: a real server with three simulated hosts, two projects, VMs,
 * a network, a security group, a volume, an image and a viewer, and for each operation the document lists
 * {@link #TRIES} (8 by default) seeded hostile variants ({@link HostileRequests}: wrong types, missing and unknown fields, huge,
 * negative and overflowing numbers, control characters and invalid UTF-8, deep nesting, broken JSON, wrong content
 * types, path tricks, query parameters of the wrong type) sent byte for byte over a socket ({@link RawHttp}); then, for
 * every operation with a body, a chunked body over the 64 KiB limit and a truncated one; then every state-changing
 * operation with a viewer's token (403), and every read of one object with the viewer's token and the name of another
 * project's VM, network or volume (403 or 404, never the object). Operations are read from the document, so a new route is fuzzed as soon as it is
 * published; the ones that cannot be ({@link FuzzedOperations#skipped}) are printed with the reason.
 *
 * <p>The oracle, for every answer: the status is below 500; an error (4xx) is {@code application/problem+json;charset=utf-8},
 * decodes strictly as UTF-8 JSON with a non-blank detail that names no exception, Java class or stack frame; and a
 * refused request changes nothing: the {@link ApiState} read after it equals the one read before (every collection and
 * settings document without the fields that move on their own, the latest task ids, the last event seq). The server is
 * let settle (no task queued or running, no event for 300 ms) after every accepted state-changing request, which may
 * succeed (a variant can be valid) and then becomes the new state to compare against; work such a request starts later
 * (a controller's evacuation, say) can still land while a refused one is answered, so a refused request after which the
 * state differs is sent again after 1.5 s of quiet, and only a change seen both times fails. An accepted read is not
 * compared (reads change nothing by design; {@code RoutesTest} and the conformance test cover them). A viewer's write
 * must be 403 and change nothing.
 *
 * <p>Seeded by {@link Property}: the suite replays the same variants every run; {@code -Dpolyvisor.seed=N} replays a
 * reported failure and {@code -Dpolyvisor.seed=random} explores. All failing operations are reported together, each
 * with its smallest failing variant.
 */
class OpenApiFuzzTest {
    /** Variants per operation; {@code -Dpolyvisor.fuzz.tries=N} sends more when exploring. */
    static final int TRIES = Integer.getInteger("polyvisor.fuzz.tries", 8);
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|javax|jakarta|io|org|com|sun)\\.[a-z]+\\.[A-Za-z.$]*|Exception|\\tat ");

    /** Objects of project {@code other}, which the viewer (project {@code team}) must not see. */
    static final List<String> OTHER_PROJECT = List.of("secret", "hidden", "private");

    @TempDir
    static Path data;
    static TestServer s;
    static String viewerToken;
    static String guestToken;
    static FuzzedOperations ops;
    static ApiState.Observer observer;
    static ApiState state;
    static int sent;
    /** How many answers had each status, to show what the variants reached (printed at the end). */
    static final java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    static final Set<String> accepted = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        for (String h : List.of("h1", "h2", "h3")) created(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\"}"));
        created(s.post("/api/v1/projects", "{\"name\":\"team\"}"));
        created(s.post("/api/v1/projects", "{\"name\":\"other\"}"));
        var viewer = s.post("/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\",\"projects\":[\"team\"]}");
        created(viewer);
        viewerToken = viewer.json().path("token").asText();
        for (String vm : List.of("{\"name\":\"web\",\"memory\":\"64M\",\"host\":\"h1\",\"project\":\"team\",\"labels\":{\"group\":\"g\"}}",
                "{\"name\":\"secret\",\"memory\":\"64M\",\"host\":\"h2\",\"project\":\"other\"}")) {
            var r = s.post("/api/v1/vms", vm);
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            s.awaitTask(r.json().path("task").path("id").asText());
        }
        created(s.post("/api/v1/networks", "{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\",\"project\":\"team\"}"));
        created(s.post("/api/v1/networks", "{\"name\":\"hidden\",\"cidr\":\"10.2.0.0/24\",\"project\":\"other\"}"));
        created(s.post("/api/v1/secgroups", "{\"name\":\"sg\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"}]}"));
        created(s.post("/api/v1/volumes", "{\"name\":\"vol\",\"size\":\"1G\",\"host\":\"h3\",\"project\":\"team\"}"));
        created(s.post("/api/v1/volumes", "{\"name\":\"private\",\"size\":\"1G\",\"host\":\"h3\",\"project\":\"other\"}"));
        Path image = data.resolve("base.qcow2");
        var p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("qemu-img create").isTrue();
        created(s.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"" + image + "\",\"format\":\"qcow2\"}"));

        JsonNode doc = s.get("/api/v1/openapi.json").json();
        ops = FuzzedOperations.of(doc);
        observer = new ApiState.Observer(s, ApiState.collections(ops));
        observer.settle(ApiState.QUIET);
        state = observer.read();
    }

    @AfterAll
    static void stop() {
        if (observer != null) observer.close();
        if (s != null) s.close();
    }

    private static void created(TestServer.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @Test
    void everyOperationAnswersHostileRequestsWithProblemsAndChangesNothingWhenItRefuses() {
        long t0 = System.nanoTime();
        assertThat(ops.operations()).as("operations read from the document").hasSizeGreaterThan(60);
        ops.skipped().forEach((op, why) -> System.out.println("fuzz: not fuzzed " + op + ": " + why));
        List<String> failures = new ArrayList<>();
        for (var op : ops.operations()) {
            failing(failures, op + " (hostile variants)", () -> Property.forAll(HostileRequests.variants(op, OpenApiFuzzTest::names,
                    !op.method().equals("DELETE"))).tries(TRIES).shrinkLimit(30).check(v -> judge(op, v, s.server.token())));
        }
        for (var op : ops.operations()) {
            if (op.body() == null) continue;
            failing(failures, op + " (chunked over the limit)", () -> judgeChunkedOverLimit(op));
            failing(failures, op + " (truncated body)", () -> judgeTruncated(op));
        }
        for (var op : ops.operations()) {
            if (!op.mutating() || op.permission() == null || op.permission().equals("read")) continue;
            failing(failures, op + " (viewer)", () -> {
                var v = HostileRequests.variants(op, OpenApiFuzzTest::names, !op.method().equals("DELETE"))
                        .generate(new java.util.Random(op.toString().hashCode()), 0).value();
                var v2 = new HostileRequests.Variant(op.method(), op.fill(op.pathParams().stream().map(x -> "web").toList()),
                        "application/json", List.of(), v.body(), v.mutations());
                var r = judge(op, v2, viewerToken);
                assertThat(r.status()).as("a viewer's %s", v2).isEqualTo(403);
            });
        }
        for (var op : ops.operations()) {
            if (op.mutating() || op.permission() == null || op.pathParams().isEmpty()) continue;
            for (String hidden : OTHER_PROJECT) {
                failing(failures, op + " (viewer, another project's " + hidden + ")", () -> {
                    var v = new HostileRequests.Variant("GET", op.fill(op.pathParams().stream().map(x -> hidden).toList()), null, List.of(),
                            new byte[0], List.of());
                    var r = judge(op, v, viewerToken);
                    assertThat(r.status()).as("a viewer of project team reading %s -> %s", v, r).isIn(403, 404);
                });
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fuzz: %d operations fuzzed (%d not: %s), %d requests sent in %.1f s (answers by status: %s), seed %s%n", ops.operations().size(),
                ops.skipped().size(), ops.skipped().keySet(), sent, seconds, statuses,
                System.getProperty(Property.SEED_PROPERTY, "fixed per test name (-D" + Property.SEED_PROPERTY + "=N to replay)"));
        System.out.printf("fuzz: %d of %d operations accepted at least one variant%n", accepted.size(), ops.operations().size());
        assertThat(failures).as("operations that failed the oracle").isEmpty();
    }

    private static void failing(List<String> failures, String what, Runnable check) {
        if (what.startsWith("GET /v1/") || what.matches("[A-Z]+ /v1/.*")) mintGuestToken();
        try {
            check.run();
        } catch (AssertionError e) {
            failures.add(what + ": " + e.getMessage());
            observer.settle(ApiState.QUIET);
            state = observer.read();
        }
    }

    /**
     * A new coordination token for the VM {@code web} and a generous guest rate limit, before each operation of the guest
     * API: a fuzzed {@code POST /api/v1/vms/web/coord-token} that succeeds replaces the one minted before, and a fuzzed
     * {@code PUT /api/v1/coord/settings} may have set a limit of one request a second.
     */
    private static void mintGuestToken() {
        var limit = s.send(s.request("/api/v1/coord/settings").header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"per_second\":100,\"burst\":100}")).build());
        assertThat(limit.status()).as(limit.text()).isEqualTo(200);
        var minted = s.post("/api/v1/vms/web/coord-token", "");
        created(minted);
        guestToken = minted.json().path("token").asText();
        observer.settle(ApiState.QUIET);
        state = observer.read();
    }

    /**
     * The names, ids and MAC addresses of every object the state holds, but the viewer's (a revoked viewer would fail the
     * viewer check): what path parameters and string fields take when they are not tricks.
     */
    static List<String> names() {
        Set<String> out = new TreeSet<>();
        for (String field : List.of("name", "id", "mac", "volume", "network")) {
            state.documents().values().forEach(d -> d.findValuesAsText(field).forEach(out::add));
        }
        out.addAll(state.tasks().subList(0, Math.min(3, state.tasks().size())));
        out.remove("vera");
        return List.copyOf(out);
    }

    /** Sends the variant with {@code token} (a VM's coordination token for the guest API), checks the answer and returns it. */
    static RawHttp.Response judge(FuzzedOperations.Operation op, HostileRequests.Variant v, String token) {
        var head = new StringBuilder(v.method()).append(' ').append(v.target()).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("Authorization: Bearer ").append(credential(op, token))
                .append("\r\n").append(Csrf.HEADER).append(": fuzz\r\nConnection: close\r\n");
        if (v.contentType() != null) head.append("Content-Type: ").append(v.contentType()).append("\r\n");
        v.headers().forEach(h -> head.append(h).append("\r\n"));
        if (v.body().length > 0 || op.mutating()) head.append("Content-Length: ").append(v.body().length).append("\r\n");
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(v.body());
        return judged(op, v, () -> RawHttp.exchange(s.server.url().getPort(), bytes.toByteArray()));
    }

    /**
     * Sends, then checks the answer against the oracle. A refused request after which the state differs is sent once
     * more after a longer settling: background work started by an earlier accepted request (an evacuation, say) may
     * land just then; a refusal that changes state changes it again, so only a difference seen twice fails.
     */
    private static RawHttp.Response judged(FuzzedOperations.Operation op, Object v, java.util.function.Supplier<RawHttp.Response> send) {
        sent++;
        RawHttp.Response r = send.get();
        statuses.merge(r.status(), 1, Integer::sum);
        if (r.status() < 300) accepted.add(op.toString());
        assertThat(r.status()).as("status of %s -> %s", v, r).isLessThan(500);
        if (r.status() >= 400) {
            problem(v, r);
            String changes = observer.read().changesSince(state);
            if (!changes.isEmpty()) {
                observer.settle(java.time.Duration.ofMillis(1500));
                state = observer.read();
                sent++;
                r = send.get();
                changes = r.status() >= 400 ? observer.read().changesSince(state) : "";
            }
            if (!changes.isEmpty()) throw new AssertionError("the state changed after " + v + " was refused with " + r + ":" + changes);
        } else if (op.mutating()) {
            observer.settle(ApiState.QUIET);
            state = observer.read();
        }
        return r;
    }

    private static void problem(Object v, RawHttp.Response r) {
        assertThat(r.header("Content-Type")).as("media type of %s -> %s", v, r).matches("(?i)application/problem\\+json; ?charset=utf-8");
        JsonNode p = r.json();
        assertThat(p.path("status").asInt()).as("status in %s", r).isEqualTo(r.status());
        assertThat(p.path("detail").asText()).as("detail of %s", v).isNotBlank();
        assertThat(JAVA_NAME.matcher(r.text()).find()).as("an exception or Java name in %s -> %s", v, r).isFalse();
    }

    /** A JSON body of 80 KiB in 8 KiB chunks, over the 64 KiB limit: the answer must be a problem (413) and nothing changes. */
    private static void judgeChunkedOverLimit(FuzzedOperations.Operation op) {
        var req = new ByteArrayOutputStream();
        req.writeBytes(head(op, "Transfer-Encoding: chunked"));
        byte[] open = "{\"name\":\"big\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        req.writeBytes((Integer.toHexString(open.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(open);
        req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = ("2000\r\n" + "p".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 10; i++) req.writeBytes(chunk);
        req.writeBytes("3\r\n\"}\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        var r = judged(op, "80 KiB chunked to " + op, () -> {
            try (var c = RawHttp.connect(s.server.url().getPort(), 20_000)) {
                try {
                    c.send(req.toByteArray());
                } catch (java.io.UncheckedIOException closedWhileSending) {
                    // the server may answer 413 and close before the client has sent everything; the answer is there to read
                }
                return c.read();
            }
        });
        assertThat(r.status()).as("80 KiB chunked to %s -> %s (404: no such object, the body is never read)", op, r).isIn(404, 413);
    }

    /** Declares 100 bytes, sends 13 and closes its sending side: the answer must be a problem and nothing changes. */
    private static void judgeTruncated(FuzzedOperations.Operation op) {
        var req = new ByteArrayOutputStream();
        req.writeBytes(head(op, "Content-Length: 100"));
        req.writeBytes("{\"name\":\"cut\"".getBytes(StandardCharsets.UTF_8));
        var r = judged(op, "a body of 13 of 100 declared bytes to " + op, () -> {
            try (var c = RawHttp.connect(s.server.url().getPort(), 20_000)) {
                c.send(req.toByteArray());
                c.shutdownOutput();
                return c.read();
            }
        });
        assertThat(r.status()).as("13 of 100 bytes to %s -> %s", op, r).isIn(400, 404);
    }

    /** The request line and headers for a real object's path (a name that does not exist for DELETE), with the admin's token. */
    private static byte[] head(FuzzedOperations.Operation op, String framing) {
        String target = op.fill(op.pathParams().stream().map(x -> op.method().equals("DELETE") ? "no-such-thing" : "web").toList());
        return (op.method() + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + credential(op, s.server.token())
                + "\r\n" + Csrf.HEADER + ": fuzz\r\nContent-Type: application/json\r\n" + framing + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The guest API (paths under /v1/) takes a VM's coordination token; every other route the caller's. */
    private static String credential(FuzzedOperations.Operation op, String token) {
        return op.path().startsWith("/v1/") ? guestToken : token;
    }
}
