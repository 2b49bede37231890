package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {
    @TempDir
    Path data;

    @Test
    void prometheusSeriesReflectHostsVmsTasksUsageAndRequests() {
        try (var s = TestServer.start(data, 0)) {
            String dc = TestServer.uniqueDatacenter();
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1?cpus=16&memory=32G\"}");
            var r = s.post("/api/v1/vms", "{\"name\":\"m1\",\"memory\":\"64M\"}");
            s.awaitTask(r.json().path("task").path("id").asText());
            s.await("/api/v1/vms/m1", v -> v.path("usage").isObject(), Duration.ofSeconds(5));
            var m = s.get("/metrics");
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.contentType()).startsWith("text/plain");
            assertThat(m.text()).contains(
                    "polyvisor_hosts{state=\"connected\"} 1.0",
                    "polyvisor_hosts{state=\"maintenance\"} 0.0",
                    "polyvisor_vms{state=\"running\"} 1.0",
                    "polyvisor_vms{state=\"failed\"} 0.0",
                    "polyvisor_host_cpus{host=\"h1\"} 16.0",
                    "polyvisor_host_memory_bytes{host=\"h1\"} 3.4359738368E10",
                    "polyvisor_task_duration_seconds_count{kind=\"create\",status=\"succeeded\"} 1",
                    "polyvisor_host_cpu_used_cores{host=\"h1\"}",
                    "polyvisor_vm_memory_used_bytes{vm=\"m1\"}",
                    "polyvisor_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/vms\",status=\"202\"} 1",
                    "jvm_memory_used_bytes{area=\"heap\"", "jvm_threads_live_threads", "process_cpu_usage",
                    "process_uptime_seconds", "process_files_open_files");
            // Prometheus conventions: base units in the name, counters end in _total
            assertThat(m.text().lines().filter(l -> l.startsWith("# TYPE") && l.endsWith(" counter")))
                    .allSatisfy(l -> assertThat(l.split(" ")[2]).endsWith("_total"));
            // a deleted VM's series go with it
            var deleted = s.delete("/api/v1/vms/m1");
            s.awaitTask(deleted.json().path("task").path("id").asText(deleted.json().path("id").asText()));
            assertThat(s.get("/metrics").text()).doesNotContain("vm=\"m1\"");
        }
    }

    @Test
    void aRemovedHostLeavesNoSeries() {
        try (var s = TestServer.start(data, 0)) {
            String dc = TestServer.uniqueDatacenter();
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/gone?cpus=8&memory=16G\"}");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> s.get("/metrics").text().contains("polyvisor_host_cpu_used_cores{host=\"gone\"}"));
            assertThat(s.delete("/api/v1/hosts/gone").status()).isEqualTo(204);
            String after = s.get("/metrics").text();
            assertThat(after).doesNotContain("host=\"gone\"");
        }
    }
}
