package io.polyvisor.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code polyvisor server --sim 2} as a real process, stopped and started again on the same data folder: the
 * simulated hypervisors keep their VMs across control-plane restarts, as real ones do (DATA/sim-local.json).
 */
class SimRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The default host probe interval; the restarted server must not report the VM failed for a few of them. */
    private static final Duration PROBE = ServerConfig.Timing.DEFAULT.probeInterval();

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    private String url;
    private String token;
    private int starts;

    @AfterEach
    void tearDown() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        http.close();
    }

    @Test
    void aRunningVmSurvivesAKilledAndAGracefullyStoppedServerAndDeleteRemovesIt() throws Exception {
        Path data = dir.resolve("data");
        start(data);
        var created = send("POST", "/api/v1/vms", "{\"name\":\"web1\",\"vcpus\":1,\"memory\":\"256M\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode vm = awaitState("web1", "running");
        String host = vm.get("host").asText();
        assertThat(Files.readString(data.resolve("sim-local.json"))).contains("\"web1\"", "\"RUNNING\"");

        process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
        start(data);
        assertRunningOnFor("web1", host, PROBE.multipliedBy(3));

        process.destroy(); // SIGTERM: graceful stop
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        start(data);
        assertRunningOnFor("web1", host, PROBE.multipliedBy(2));

        var deleted = send("DELETE", "/api/v1/vms/web1", null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> send("GET", "/api/v1/vms/web1", null).statusCode() == 404);
        assertThat(Files.readString(data.resolve("sim-local.json"))).doesNotContain("\"web1\"").contains("\"h1\"", "\"h2\"");
    }

    /** Over the whole {@code period}, the VM is running on {@code host} with no failure detail. */
    private void assertRunningOnFor(String name, String host, Duration period) throws Exception {
        long end = System.nanoTime() + period.toNanos();
        do {
            var vm = vm(name);
            assertThat(vm.get("state").asText()).as(vm.toString()).isEqualTo("running");
            assertThat(vm.get("host").asText()).isEqualTo(host);
            Thread.sleep(200);
        } while (System.nanoTime() < end);
    }

    private JsonNode awaitState(String name, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> vm(name).get("state").asText().equals(state));
        return vm(name);
    }

    private JsonNode vm(String name) {
        try {
            var r = send("GET", "/api/v1/vms/" + name, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts {@code polyvisor server --sim 2} on a free port and waits for its "listening" line. */
    private void start(Path data) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr-" + ++starts + ".txt");
        process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.polyvisor.cli.Main", "server", "--sim", "2", "--port", "0", "--data", data.toString()))
                .redirectError(stderr.toFile()).start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String listening = out.readLine();
        assertThat(listening).as(Files.exists(stderr) ? Files.readString(stderr) : "").startsWith("Polyvisor listening on http://");
        url = listening.substring("Polyvisor listening on ".length());
        token = Files.readString(data.resolve("admin.token")).strip();
    }
}
