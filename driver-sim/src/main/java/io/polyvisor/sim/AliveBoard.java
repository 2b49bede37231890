package io.polyvisor.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The liveness of every host of one {@code sim-serve} endpoint, from one {@code GET /alive} shared by all the hosts
 * of that endpoint a server probes: a server probing thousands of simulated hosts every 100 ms makes about one call
 * per {@link #FRESH} instead of one per host. An answer is at most {@link #FRESH} old when read; a failed call (the
 * endpoint is gone) makes every host not alive until a call succeeds again.
 */
final class AliveBoard {
    static final Duration FRESH = Duration.ofMillis(50);
    private static final Map<URI, AliveBoard> BOARDS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI base;
    private volatile Set<String> alive = Set.of();
    /** When the last answer was asked for (System.nanoTime); none yet: stale from the start. */
    private volatile long at;

    private AliveBoard(URI base) {
        this.base = base;
        this.at = System.nanoTime() - 2 * FRESH.toNanos();
    }

    static AliveBoard of(URI base) {
        return BOARDS.computeIfAbsent(base, AliveBoard::new);
    }

    boolean alive(String host) {
        if (System.nanoTime() - at > FRESH.toNanos()) refresh();
        return alive.contains(host);
    }

    /** One caller refreshes; the others that find it stale meanwhile wait for that answer. */
    private synchronized void refresh() {
        long asked = System.nanoTime();
        if (asked - at <= FRESH.toNanos()) return;
        try {
            var r = HTTP.send(HttpRequest.newBuilder(base.resolve("alive")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            alive = r.statusCode() == 200 ? Set.copyOf(r.body().lines().filter(l -> !l.isBlank()).toList()) : Set.of();
        } catch (IOException e) {
            alive = Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            alive = Set.of();
        }
        at = asked;
    }
}
