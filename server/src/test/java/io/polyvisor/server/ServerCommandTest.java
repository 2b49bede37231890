package io.polyvisor.server;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor server} as a real process: prints where it listens and where the token is, serves, stops on SIGTERM. */
class ServerCommandTest {
    @TempDir
    Path dir;

    @Test
    void serverCommandStartsServesAndStopsGracefully() throws Exception {
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.polyvisor.cli.Main", "server", "--sim", "2", "--port", "0", "--data", data.toString()))
                .redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String listening = out.readLine();
            String tokenLine = out.readLine();
            assertThat(listening).as(Files.exists(dir.resolve("stderr.txt")) ? Files.readString(dir.resolve("stderr.txt")) : "")
                    .matches("Polyvisor listening on http://127\\.0\\.0\\.1:\\d+");
            assertThat(tokenLine).isEqualTo("admin token: " + data.resolve("admin.token"));
            String url = listening.substring("Polyvisor listening on ".length());
            String token = Files.readString(data.resolve("admin.token")).strip();
            try (var http = HttpClient.newHttpClient()) {
                var health = http.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                var hosts = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/hosts"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(hosts.body()).contains("\"name\":\"h1\"", "\"name\":\"h2\"", "sim://local/h1");
            }
            assertThat(Files.readString(dir.resolve("stderr.txt"))).doesNotContain(token);
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook closes the server
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isEqualTo(143); // the JVM's exit status after SIGTERM, hooks done
    }

    @Test
    void portInUseIsAClearErrorNotAStackTrace() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var out = new java.io.ByteArrayOutputStream();
            var err = new java.io.ByteArrayOutputStream();
            int code = io.polyvisor.cli.Main.run(new String[] {"server", "--port", Integer.toString(taken.getLocalPort()),
                            "--data", dir.resolve("d2").toString()}, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, StandardCharsets.UTF_8), java.util.Map.of());
            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is in use or not available here; pick another with --port or --bind" + System.lineSeparator());
        }
    }
}
