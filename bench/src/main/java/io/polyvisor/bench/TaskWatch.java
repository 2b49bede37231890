package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Waits for tasks to end the way a client that watches would: one {@code GET /api/v1/events/stream} for the
 * whole run, instead of polling each task (64 clients polling every few milliseconds would load the server they
 * measure). A task ends with a {@code task.succeeded} or {@code task.failed} event whose subject is the VM and
 * whose message starts with the task's kind and the VM's name ("create vm7 succeeded").
 */
final class TaskWatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile Stream<String> lines;
    private boolean taskEnd; // the event being read is a task end; reader thread only

    /** Opens the stream (from the start of the log) and returns once the server answered. */
    TaskWatch(HttpClient http, String base, String token) {
        var open = new CountDownLatch(1);
        var failure = new CompletableFuture<Void>();
        reader = Thread.ofPlatform().daemon().name("task-watch").start(() -> {
            try {
                var req = HttpRequest.newBuilder(URI.create(base + "/api/v1/events/stream?after=0"))
                        .header("Authorization", "Bearer " + token).GET().build();
                HttpResponse<Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
                if (res.statusCode() != 200) throw new IllegalStateException("event stream answered " + res.statusCode());
                lines = res.body();
                open.countDown();
                lines.forEach(this::line);
            } catch (IOException | RuntimeException e) {
                failure.completeExceptionally(e);
                waiting.values().forEach(f -> f.completeExceptionally(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.countDown();
            }
        });
        try {
            if (!open.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("event stream did not open in 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.isCompletedExceptionally()) failure.join();
    }

    /** A future of the event that ends the next {@code kind} task of VM {@code vm}; call before queueing the task. */
    CompletableFuture<JsonNode> expect(String kind, String vm) {
        var f = new CompletableFuture<JsonNode>();
        if (waiting.putIfAbsent(kind + " " + vm, f) != null) throw new IllegalStateException("already waiting for " + kind + " " + vm);
        return f;
    }

    /** Waits for {@code f}; fails if its task failed or nothing came within {@code seconds}. */
    static void await(CompletableFuture<JsonNode> f, String what, long seconds) throws Exception {
        JsonNode e = f.get(seconds, TimeUnit.SECONDS);
        if (!e.path("type").asText().equals("task.succeeded")) throw new IllegalStateException(what + ": " + e.path("message").asText());
    }

    private void line(String line) {
        if (line.startsWith("event: ")) {
            taskEnd = line.equals("event: task.succeeded") || line.equals("event: task.failed");
            return;
        }
        if (!line.startsWith("data: ") || !taskEnd) return; // only task ends are parsed: the client costs CPU too
        JsonNode e;
        try {
            e = JSON.readTree(line.substring(6));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String type = e.path("type").asText();
        if (!type.equals("task.succeeded") && !type.equals("task.failed")) return;
        String message = e.path("message").asText();
        int space = message.indexOf(' ');
        if (space < 0) return;
        var f = waiting.remove(message.substring(0, space) + " " + e.path("subject").asText());
        if (f != null) f.complete(e);
    }

    @Override
    public void close() {
        Stream<String> l = lines;
        if (l != null) l.close();
        reader.interrupt();
    }
}
