package io.polyvisor.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for tasks: the outcome, failure and timeout paths, against a scripted server. */
class TaskWaitTest {
    private static String task(String status, String error) {
        return "{\"id\":\"t1\",\"kind\":\"start\",\"vm_id\":\"u1\",\"vm_name\":\"web1\",\"target\":null,\"status\":\"" + status
                + "\",\"attempts\":1,\"error\":" + (error == null ? "null" : "\"" + error + "\"")
                + ",\"created\":\"2026-01-01T00:00:00Z\",\"updated\":\"2026-01-01T00:00:01.250Z\",\"result\":{}}";
    }

    /** POST start -> queued; then GET the task: running twice, then {@code last}. */
    private static FakeApi server(String last, String lastError) throws Exception {
        var polls = new AtomicInteger();
        return new FakeApi(ex -> {
            var path = ex.getRequestURI().getPath();
            if (path.equals("/api/v1/vms/web1/start")) FakeApi.json(ex, 202, task("queued", null));
            else if (path.equals("/api/v1/tasks/t1")) FakeApi.json(ex, 200, polls.incrementAndGet() < 3 ? task("running", null) : task(last, lastError));
            else if (path.equals("/api/v1/vms/web1")) FakeApi.json(ex, 200, "{\"name\":\"web1\",\"state\":\"running\",\"host\":\"h1\"}");
            else FakeApi.problem(ex, 404, "Not Found", "no route " + path);
        });
    }

    @Test
    void waitsUntilTheTaskSucceedsThenPrintsTheOutcome() throws Exception {
        try (var api = server("succeeded", null)) {
            var r = CliRun.of(Map.of(), "vm", "start", "web1", "--url", api.url());
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo("vm web1 started: running on h1 (task t1, 1.25 s)\n");
            assertThat(api.requests.stream().filter(q -> q.uri().equals("/api/v1/tasks/t1"))).hasSize(3);
        }
    }

    @Test
    void failedTaskExitsOneWithTheTaskError() throws Exception {
        try (var api = server("failed", "no host has 4 GiB free")) {
            var r = CliRun.of(Map.of(), "vm", "start", "web1", "--url", api.url());
            assertThat(r.exit()).isEqualTo(Main.FAILED);
            assertThat(r.err()).startsWith("error: start web1 failed: no host has 4 GiB free\n");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void noWaitReturnsAtOnceWithTheTaskId() throws Exception {
        try (var api = server("succeeded", null)) {
            var r = CliRun.of(Map.of(), "vm", "start", "web1", "--no-wait", "--url", api.url());
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo("task t1 queued: start web1\n");
            assertThat(api.requests).hasSize(1);
        }
    }

    @Test
    void eachVerbPostsToItsRouteWithItsBody() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.json(ex, 202, task("queued", null)))) {
            for (var args : java.util.List.of(
                    java.util.List.of("stop", "web1", "--force"), java.util.List.of("stop", "web1"),
                    java.util.List.of("migrate", "web1", "--to", "h2"), java.util.List.of("reboot", "web1"),
                    java.util.List.of("suspend", "web1"), java.util.List.of("resume", "web1"), java.util.List.of("delete", "web1"))) {
                var all = new java.util.ArrayList<>(java.util.List.of("vm"));
                all.addAll(args);
                all.addAll(java.util.List.of("--no-wait", "--url", api.url()));
                assertThat(CliRun.of(Map.of(), all.toArray(String[]::new)).exit()).isZero();
            }
            assertThat(api.requests).extracting(r -> r.method() + " " + r.uri() + " " + r.body()).containsExactly(
                    "POST /api/v1/vms/web1/stop {\"force\":true}",
                    "POST /api/v1/vms/web1/stop {}",
                    "POST /api/v1/vms/web1/migrate {\"to\":\"h2\"}",
                    "POST /api/v1/vms/web1/reboot {}",
                    "POST /api/v1/vms/web1/suspend {}",
                    "POST /api/v1/vms/web1/resume {}",
                    "DELETE /api/v1/vms/web1 ");
        }
    }

    @Test
    void timeoutExitsOneAndSaysTheTaskGoesOn() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.json(ex, ex.getRequestMethod().equals("POST") ? 202 : 200, task("running", null)))) {
            long t0 = System.nanoTime();
            var r = CliRun.of(Map.of(), "vm", "start", "web1", "--timeout", "300ms", "--url", api.url());
            assertThat(r.exit()).isEqualTo(Main.FAILED);
            assertThat(r.err()).isEqualTo("error: timed out after 300ms waiting for task t1 (start web1), which is still running\n"
                    + "hint: the task goes on; follow it with 'polyvisor tasks'\n");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        }
    }
}
