package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Waits for a task to end by polling {@code GET /api/v1/tasks/{id}}: every 50 ms at first, backing off to 1 s.
 * Returns the final task when it succeeded; throws {@link TaskFailed} when it failed, was cancelled or the
 * wait timed out (the task itself goes on).
 */
final class TaskWaiter {
    static final Set<String> DONE = Set.of("succeeded", "failed", "cancelled");

    private final ApiClient client;

    TaskWaiter(ApiClient client) {
        this.client = client;
    }

    JsonNode await(JsonNode task, Duration timeout) {
        var id = task.get("id").asText();
        var deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 50;
        while (!DONE.contains(task.path("status").asText())) {
            if (System.nanoTime() - deadline > 0) {
                throw new TaskFailed("timed out after " + human(timeout) + " waiting for task " + id + " ("
                        + describe(task) + "), which is still " + task.path("status").asText(),
                        "the task goes on; follow it with 'polyvisor tasks'");
            }
            sleep(Math.min(pauseMs, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            pauseMs = Math.min(1000, pauseMs * 3 / 2);
            task = client.get("/api/v1/tasks/" + ApiClient.encode(id));
        }
        if (!task.path("status").asText().equals("succeeded")) {
            var error = task.hasNonNull("error") ? task.get("error").asText() : "no reason given";
            throw new TaskFailed(describe(task) + " " + task.path("status").asText() + ": " + error,
                    "see 'polyvisor tasks' and 'polyvisor events' (task " + id + ")");
        }
        return task;
    }

    /** {@code start web1}, {@code migrate web1 to h2}. */
    static String describe(JsonNode task) {
        var s = task.path("kind").asText("task") + " " + task.path("vm_name").asText(task.path("vm_id").asText("?"));
        return task.hasNonNull("target") && task.path("kind").asText().equals("migrate") ? s + " to " + task.get("target").asText() : s;
    }

    /** Seconds between the task's creation and its last update, e.g. {@code 0.84 s}, or null if unknown. */
    static String took(JsonNode task) {
        try {
            var ms = Duration.between(Instant.parse(task.get("created").asText()), Instant.parse(task.get("updated").asText())).toMillis();
            return String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000.0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        if (d.getSeconds() % 3600 == 0) return d.getSeconds() / 3600 + "h";
        if (d.getSeconds() % 60 == 0) return d.getSeconds() / 60 + "m";
        return d.getSeconds() + "s";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailed("interrupted while waiting for a task", null);
        }
    }
}
