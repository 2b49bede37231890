package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code polyvisor server} processes for {@link ClusterBench}: this JVM's java and class path, the launcher's main
 * class, a data folder each under {@code dir}, one PostgreSQL schema; {@link Member#kill()} is SIGKILL.
 */
final class ClusterRig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path dir;
    final String db;
    final String user;
    final String password;
    final List<Member> members = new ArrayList<>();

    ClusterRig(Path dir, String db, String user, String password) {
        this.dir = dir;
        this.db = db;
        this.user = user;
        this.password = password;
    }

    /** One server process, its URL and admin token once it listens. */
    final class Member {
        final String name;
        final Process process;
        URI url;
        String token;

        Member(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
            var b = HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            var r = send("GET", path, null);
            if (r.statusCode() != 200) throw new IOException("GET " + path + " on " + name + ": " + r.statusCode() + " " + r.body());
            return JSON.readTree(r.body());
        }
    }

    Member start(String name) throws IOException, InterruptedException {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.polyvisor.cli.Main", "server", "--port", "0", "--data", data.toString(), "--db", db, "--db-user", user,
                "--server-name", name);
        Path out = dir.resolve(name + ".out");
        var pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().put("POLYVISOR_DB_PASSWORD", password);
        var m = new Member(name, pb.start());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (l.startsWith("Polyvisor listening on ")) {
                    m.url = URI.create(l.substring("Polyvisor listening on ".length()).strip());
                    m.token = Files.readString(data.resolve("admin.token")).strip();
                    members.add(m);
                    return m;
                }
            }
            if (!m.process.isAlive()) {
                throw new IOException("server " + name + " exited before listening: " + Files.readString(dir.resolve(name + ".err")));
            }
            Thread.sleep(50);
        }
        m.process.destroyForcibly();
        throw new IOException("server " + name + " did not listen within 120 s");
    }

    void close() {
        for (Member m : members) m.process.destroyForcibly();
        http.close();
    }
}
