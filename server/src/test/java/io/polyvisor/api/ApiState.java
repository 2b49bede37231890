package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polyvisor.server.TestServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a refused request must not change, read through the API: every collection and settings document the OpenAPI
 * document offers as a GET without path parameters (so a new collection is covered without a change here), plus the
 * number of tasks and the events written.
 *
 * <p>Precisely: the snapshot holds, for each such GET, its JSON with the fields that move on their own removed
 * ({@link #MOVING}: measurements and clocks, such as usage, load, timestamps); the collections listed in
 * {@link #JOURNALS} are left out (the audit trail records refused requests on purpose; events and tasks are
 * compared below; cluster membership and the balance plan are observations). Tasks are compared by their ids (the latest 1000). Events
 * are compared by their last seq: the test lets the server settle (no task queued or running, the last event seq
 * unchanged for {@link #QUIET}) before it takes a snapshot, so any event written while a refused request is being
 * answered counts as a change caused by it.
 */
record ApiState(Map<String, JsonNode> documents, List<String> tasks, long lastEvent) {
    /** Answers that are journals or observations, not state a request sets. */
    static final Set<String> JOURNALS = Set.of("/api/v1/audit", "/api/v1/events", "/api/v1/tasks", "/api/v1/servers",
            "/api/v1/plans/balance", "/api/v1/ha/status", "/api/v1/openapi.json", "/api/v1/whoami", "/api/v1/drivers", "/healthz");
    static final Pattern MOVING = Pattern.compile("usage|used.*|load.*|stats|metrics|uptime.*|.*_at|last_.*|updated|seen|heartbeat.*"
            + "|history|expires|.*_seconds_ago|age.*|lease.*|decisions");
    static final Duration QUIET = Duration.ofMillis(300);

    /** Reads the state of one server; it remembers the last event seq seen, to page on from there. */
    static final class Observer implements AutoCloseable {
        private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        private final TestServer s;
        private final List<String> collections;
        private long cursor;

        Observer(TestServer s, List<String> collections) {
            this.s = s;
            this.collections = List.copyOf(collections);
        }

        /** Reads every part, several at once (a snapshot is some twenty GETs, read after nearly every fuzzed request). */
        ApiState read() {
            Map<String, java.util.concurrent.Future<TestServer.Response>> answers = new TreeMap<>();
            for (String path : collections) answers.put(path, pool.submit(() -> s.get(path)));
            var tasks = pool.submit(() -> s.get("/api/v1/tasks?limit=1000"));
            long seq = lastEvent();
            Map<String, JsonNode> docs = new TreeMap<>();
            answers.forEach((path, f) -> {
                var r = join(f);
                if (r.status() != 200) throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.text());
                docs.put(path, stripMoving(r.json()));
            });
            return new ApiState(docs, join(tasks).json().findValuesAsText("id"), seq);
        }

        private static <T> T join(java.util.concurrent.Future<T> f) {
            try {
                return f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }

        /** The last event's seq (events are listed oldest first, 1000 at most per page, so it pages on from the last one seen). */
        long lastEvent() {
            while (true) {
                JsonNode page = s.get("/api/v1/events?limit=1000&after=" + cursor).json();
                if (page.isEmpty()) return cursor;
                cursor = page.get(page.size() - 1).path("seq").asLong();
            }
        }

        /** Waits until no task is queued or running and no event has been written for {@code quiet}. */
        void settle(Duration quiet) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long seq = -1;
            long stableSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                boolean busy = !s.get("/api/v1/tasks?status=queued&limit=1").json().isEmpty()
                        || !s.get("/api/v1/tasks?status=running&limit=1").json().isEmpty();
                long now = lastEvent();
                if (busy || now != seq) {
                    seq = now;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince >= quiet.toNanos()) {
                    return;
                }
                sleep(50);
            }
            throw new AssertionError("the server did not settle within 30 s (tasks still running or events still written)");
        }
    }

    /** What differs from {@code before}, one line per part, each side abbreviated; empty when nothing does. */
    String changesSince(ApiState before) {
        var out = new StringBuilder();
        for (String k : documents.keySet()) {
            if (!documents.get(k).equals(before.documents.get(k))) {
                out.append("\n  ").append(k).append(": ").append(cut(before.documents.get(k))).append("\n   -> ").append(cut(documents.get(k)));
            }
        }
        if (!tasks.equals(before.tasks)) out.append("\n  tasks: ").append(before.tasks).append(" -> ").append(tasks);
        if (lastEvent != before.lastEvent) out.append("\n  last event seq: ").append(before.lastEvent).append(" -> ").append(lastEvent);
        return out.toString();
    }

    private static String cut(Object o) {
        String s = String.valueOf(o);
        return s.length() > 1500 ? s.substring(0, 1500) + "..." : s;
    }

    /** GET routes without path parameters that answer JSON, minus {@link #JOURNALS}. */
    static List<String> collections(FuzzedOperations ops) {
        List<String> out = new ArrayList<>();
        for (var op : ops.operations()) {
            if (op.method().equals("GET") && op.pathParams().isEmpty() && !op.textual() && op.permission() != null
                    && !JOURNALS.contains(op.path())) out.add(op.path());
        }
        return out;
    }


    private static JsonNode stripMoving(JsonNode n) {
        if (n.isObject()) {
            var o = (ObjectNode) n;
            List<String> drop = new ArrayList<>();
            o.fieldNames().forEachRemaining(f -> {
                if (MOVING.matcher(f).matches()) drop.add(f);
            });
            o.remove(drop);
            o.elements().forEachRemaining(ApiState::stripMoving);
        } else if (n.isArray()) {
            n.forEach(ApiState::stripMoving);
        }
        return n;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
