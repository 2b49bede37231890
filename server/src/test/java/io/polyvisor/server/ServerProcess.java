package io.polyvisor.server;

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
import java.util.concurrent.TimeUnit;

/**
 * {@code polyvisor server --sim N} as a separate JVM (the test JVM's java and class path, the CLI's main entry as
 * {@code ./polyvisor server} runs it) on a free loopback port, which a test can {@link #kill()} with SIGKILL.
 * Its output goes to files in the data folder's parent, numbered by start, so a failing test can show them.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    final URI url;
    final String token;

    private ServerProcess(Process process, Path stdout, Path stderr, URI url, String token) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.url = url;
        this.token = token;
    }

    /**
     * Starts a server on {@code data} with {@code simHosts} simulated hosts, and with the database {@code dbUrl}
     * (null: the embedded H2 in the data folder), and waits until it listens.
     */
    static ServerProcess start(Path data, int simHosts, String dbUrl, String dbUser, String dbPassword, int n)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.polyvisor.cli.Main", "server",
                "--sim", String.valueOf(simHosts), "--port", "0", "--bind", "127.0.0.1", "--data", data.toString()));
        if (dbUrl != null) cmd.addAll(List.of("--db", dbUrl, "--db-user", dbUser));
        Path logs = data.toAbsolutePath().getParent();
        Path out = logs.resolve("server-" + n + ".out");
        Path err = logs.resolve("server-" + n + ".err");
        var pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (dbPassword != null) pb.environment().put("POLYVISOR_DB_PASSWORD", dbPassword);
        Process p = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String listening = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("Polyvisor listening on ")).findFirst().orElse(null);
            if (listening != null) {
                URI url = URI.create(listening.substring("Polyvisor listening on ".length()).strip());
                String token = Files.readString(data.resolve("admin.token")).strip();
                return new ServerProcess(p, out, err, url, token);
            }
            if (!p.isAlive()) {
                throw new AssertionError("server " + n + " exited with " + p.exitValue() + " before listening:\n" + tail(err));
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new AssertionError("server " + n + " did not listen within " + START_TIMEOUT + ":\n" + tail(err));
    }

    /** SIGKILL: no shutdown hook, no flush, no orderly close of the database. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("server did not die after SIGKILL");
    }

    boolean alive() {
        return process.isAlive();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20));
    }

    HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The server's threads as {@code jcmd PID Thread.print} prints them, written to {@code file}; to explain a request
     * that did not answer. Returns the file, or a sentence saying why there is none.
     */
    String threadDump(Path file) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            return p.waitFor(30, TimeUnit.SECONDS) ? file.toString() : "(jcmd did not finish in 30 s)";
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** The last lines of the server's error output, to explain a failure. */
    String errors() {
        return tail(stderr);
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }

    Path stdout() {
        return stdout;
    }
}
