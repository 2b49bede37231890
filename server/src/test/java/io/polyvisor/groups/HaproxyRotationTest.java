package io.polyvisor.groups;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real HAProxy (Debian's, installed by scripts/haproxy-up; its absence fails these tests) in front of real loopback
 * HTTP servers standing in for members: the runtime API steps the controller uses ({@link Rotation}) put members
 * in rotation only after HAProxy's health check passed, drain lets requests in flight finish, and a load
 * generator sees no failed request across scale-out and scale-in.
 */
class HaproxyRotationTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private Haproxy haproxy(int port) {
        Haproxy h = Haproxy.start(dir.resolve("lb"), "web", port, Duration.ofMillis(100), "/health");
        open.add(h);
        return h;
    }

    private Backend backend(String name) {
        Backend b = new Backend(name);
        open.add(b);
        return b;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Calls {@code step} (one rotation step) until {@code done}, at most 10 s. */
    private static void until(BooleanSupplier done, Runnable step) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached within 10 s").isLessThan(deadline);
            step.run();
            Thread.sleep(20);
        }
    }

    private static boolean join(Haproxy h, String name, Backend b) {
        return Rotation.join(h, h.servers(), name, b.port());
    }

    @Test
    void aMemberEntersRotationOnlyAfterItsHealthCheckPasses() throws Exception {
        int port = freePort();
        Haproxy h = haproxy(port);
        Backend a = backend("a"), b = backend("b");
        until(() -> join(h, "a", a), () -> {});
        b.healthStatus = 503;
        // b is added with checks on; its checks fail: it stays out of rotation however often the controller steps
        for (int i = 0; i < 30; i++) {
            assertThat(join(h, "b", b)).isFalse();
            Thread.sleep(20);
        }
        Haproxy.Server sb = h.servers().get("b");
        assertThat(sb.maintenance()).as("b %s", sb).isTrue();
        assertThat(sb.checkStatus()).isEqualTo("L7STS");
        for (int i = 0; i < 20; i++) assertThat(get(port, "/").body()).isEqualTo("a");
        assertThat(b.served.get()).isZero();
        // its health check passes: the next steps enable it, and traffic reaches it
        b.healthStatus = 200;
        until(() -> join(h, "b", b), () -> {});
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 20; i++) seen.add(get(port, "/").body());
        assertThat(seen).containsExactlyInAnyOrder("a", "b");
    }

    /**
     * Checks every second once up, but every 100 ms while joining or down: a member whose service comes up after it was
     * added enters rotation on its first passing check, well within one normal interval (with the former
     * {@code inter 1s rise 2} alone it took two checks a second apart).
     */
    @Test
    void aJoiningMemberIsCheckedAtTheFastIntervalAndEntersOnItsFirstPassingCheck() throws Exception {
        int port = freePort();
        Haproxy h = Haproxy.start(dir.resolve("lb"), "web", port, Duration.ofSeconds(1), Duration.ofMillis(100), "/health");
        open.add(h);
        Backend b = backend("b");
        b.healthStatus = 503; // booting: its checks fail
        assertThat(join(h, "b", b)).isFalse();
        Thread.sleep(1500);
        assertThat(join(h, "b", b)).isFalse();
        assertThat(h.servers().get("b").maintenance()).isTrue();
        assertThat(b.served.get()).isZero();
        b.healthStatus = 200; // it serves now
        long t0 = System.nanoTime();
        until(() -> join(h, "b", b), () -> {});
        double s = (System.nanoTime() - t0) / 1e9;
        assertThat(s).as("seconds from serving to in rotation").isLessThan(0.7);
        assertThat(get(port, "/").body()).isEqualTo("b");
    }

    @Test
    void drainLetsRequestsInFlightFinishBeforeTheMemberIsRemoved() throws Exception {
        int port = freePort();
        Haproxy h = haproxy(port);
        Backend a = backend("a"), b = backend("b");
        until(() -> join(h, "a", a) & join(h, "b", b), () -> {});
        // slow requests on both members (round robin): at least one is in flight on b
        var inFlight = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        until(() -> h.servers().get("b").sessions() > 0, () -> {});
        assertThat(Rotation.leave(h, h.servers(), "b", false)).isFalse(); // drain starts
        assertThat(h.servers().get("b").draining()).isTrue();
        // while b drains, new requests go to a, and b stays in HAProxy as long as it has a session
        assertThat(get(port, "/").body()).isEqualTo("a");
        assertThat(Rotation.leave(h, h.servers(), "b", false)).isFalse();
        assertThat(h.servers()).containsKey("b");
        until(() -> Rotation.leave(h, h.servers(), "b", false), () -> {});
        assertThat(h.servers()).doesNotContainKey("b");
        for (var f : inFlight) {
            var r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(inFlight.stream().map(f -> f.join().body()).toList()).contains("a", "b");
    }

    @Test
    void aLoadGeneratorSeesNoFailedRequestAcrossScaleOutAndScaleIn() throws Exception {
        int port = freePort();
        Haproxy h = haproxy(port);
        Map<String, Backend> members = new ConcurrentHashMap<>();
        members.put("m1", backend("m1"));
        until(() -> join(h, "m1", members.get("m1")), () -> {});

        var stop = new AtomicBoolean();
        var ok = new AtomicInteger();
        var failed = new ConcurrentHashMap<String, Integer>();
        var load = new ArrayList<Thread>();
        for (int t = 0; t < 4; t++) {
            load.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        var r = get(port, "/");
                        if (r.statusCode() == 200) ok.incrementAndGet();
                        else failed.merge("HTTP " + r.statusCode(), 1, Integer::sum);
                    } catch (Exception e) {
                        failed.merge(e.toString(), 1, Integer::sum);
                    }
                }
            }));
        }
        // scale out to three members, one by one, while the load runs
        for (String m : List.of("m2", "m3")) {
            Backend b = backend(m);
            members.put(m, b);
            until(() -> join(h, m, b), () -> {});
            Thread.sleep(300);
        }
        // scale in to one: drain, remove from HAProxy, and only then stop the member
        for (String m : List.of("m3", "m2")) {
            until(() -> Rotation.leave(h, h.servers(), m, false), () -> {});
            members.remove(m).close();
            Thread.sleep(300);
        }
        stop.set(true);
        for (Thread t : load) t.join();
        assertThat(failed).as("failed requests").isEmpty();
        assertThat(ok.get()).isGreaterThan(100);
        assertThat(h.servers().keySet()).containsExactly("m1");
    }

    @Test
    void aTakenPortIsRefusedWithHaproxysReasonAndNoProcessLeft() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> Haproxy.start(dir.resolve("lb2"), "web", taken.getLocalPort(), Duration.ofMillis(100), "/health"))
                    .isInstanceOf(BalancerFailed.class)
                    .hasMessageContaining("HAProxy for group web exited")
                    .hasMessageContaining("cannot bind socket");
        }
    }

    static int freePort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
