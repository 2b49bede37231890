package io.polyvisor.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delay of an event between servers: a project created through one server (its event committed there) until
 * another server's event stream ({@code /api/v1/events/stream}, SSE) delivers it. Measured beside it, on the same
 * events, the baseline a peer would pick without LISTEN/NOTIFY: a reader polling the events table every 200 ms (what
 * the servers did before), from the moment the create was answered.
 */
final class EventDelay {
    record Result(List<Double> streamMs, List<Double> pollMs) {}

    private static final Pattern SUBJECT = Pattern.compile("\"subject\"\\s*:\\s*\"(ev[0-9a-z-]+)\"");

    private static long lastSeq(String db, String user, String password) throws java.sql.SQLException {
        try (var c = DriverManager.getConnection(db, user, password);
             var rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(seq), 0) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Result measure(ClusterRig.Member from, ClusterRig.Member to, String db, String user, String password, int samples)
            throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Map<String, Long> streamed = new ConcurrentHashMap<>();
        Map<String, Long> polled = new ConcurrentHashMap<>();
        var stop = new AtomicBoolean();
        long after = lastSeq(db, user, password);
        var http = HttpClient.newHttpClient();
        var req = HttpRequest.newBuilder(to.url.resolve("/api/v1/events/stream?after=" + after))
                .header("Authorization", "Bearer " + to.token).build();
        Thread sse = Thread.ofPlatform().daemon().start(() -> {
            try {
                http.send(req, HttpResponse.BodyHandlers.ofLines()).body().takeWhile(l -> !stop.get()).forEach(l -> {
                    Matcher m = SUBJECT.matcher(l);
                    if (l.startsWith("data:") && m.find()) streamed.putIfAbsent(m.group(1), System.nanoTime());
                });
            } catch (Exception e) {
                // closed at the end
            }
        });
        Thread poller = Thread.ofPlatform().daemon().start(() -> {
            try (var c = DriverManager.getConnection(db, user, password)) {
                long seen = after;
                var q = c.prepareStatement("SELECT seq, subject FROM events WHERE seq > ? ORDER BY seq LIMIT 1000");
                while (!stop.get()) {
                    q.setLong(1, seen);
                    try (var rs = q.executeQuery()) {
                        while (rs.next()) {
                            seen = rs.getLong(1);
                            polled.putIfAbsent(rs.getString(2), System.nanoTime());
                        }
                    }
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                if (!stop.get()) throw new IllegalStateException("the polling baseline failed: " + e.getMessage(), e);
            }
        });
        Thread.sleep(1_000); // both readers are listening
        List<Double> stream = new ArrayList<>();
        List<Double> poll = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String name = "ev" + tag + "-" + i;
            var r = from.send("POST", "/api/v1/projects", "{\"name\":\"" + name + "\"}");
            long answered = System.nanoTime();
            if (r.statusCode() != 201) throw new IllegalStateException("create project " + name + ": " + r.body());
            long deadline = answered + Duration.ofSeconds(10).toNanos();
            while ((!streamed.containsKey(name) || !polled.containsKey(name)) && System.nanoTime() < deadline) Thread.sleep(1);
            if (!streamed.containsKey(name)) throw new IllegalStateException("event of " + name + " not streamed by " + to.name + " within 10 s");
            stream.add(Math.max(0, streamed.get(name) - answered) / 1e6);
            poll.add(Math.max(0, polled.getOrDefault(name, deadline) - answered) / 1e6);
            Thread.sleep(37); // not in step with either reader
        }
        stop.set(true);
        sse.interrupt();
        http.shutdownNow();
        poller.join(2_000);
        return new Result(stream, poll);
    }
}
