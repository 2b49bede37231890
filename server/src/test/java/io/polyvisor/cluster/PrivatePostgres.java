package io.polyvisor.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for one test, which the test may stop and start (a restart of the shared one would
 * hit every other user of it): {@code initdb} into a fresh folder, then {@code pg_ctl} on a free loopback port, run as
 * the {@code postgres} OS user (as root, as {@code .ci/run} runs, or through password-less sudo). Trust authentication, loopback
 * only. Fails loudly when PostgreSQL's programs are missing (scripts/postgres-up installs them).
 */
final class PrivatePostgres implements AutoCloseable {
    private final Path bin;
    private final Path data;
    final int port;

    private PrivatePostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = newestBin();
        Path data = Files.createTempDirectory("polyvisor-pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        run(root ? List.of("chown", "postgres", data.toString()) : List.of("sudo", "-n", "chown", "postgres", data.toString()));
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var pg = new PrivatePostgres(bin, data, port);
        pg.asPostgres(bin.resolve("initdb") + " -D " + data + " -A trust -U postgres --no-sync -E UTF8");
        pg.up();
        return pg;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server on the same folder and port, and returns once it accepts connections. */
    void up() throws IOException, InterruptedException {
        asPostgres(bin.resolve("pg_ctl") + " -D " + data + " -l " + data.resolve("server.log") + " -w -t 60"
                + " -o '-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1' start");
    }

    /** Stops the server at once, as a crash would ({@code -m immediate}: no checkpoint, clients cut off). */
    void crash() throws IOException, InterruptedException {
        asPostgres(bin.resolve("pg_ctl") + " -D " + data + " -m immediate -w -t 60 stop");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            asPostgres(bin.resolve("pg_ctl") + " -D " + data + " -m immediate -w -t 60 stop");
        } catch (AssertionError alreadyStopped) {
            // stopped by the test
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void asPostgres(String command) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        run(root ? List.of("su", "postgres", "-s", "/bin/sh", "-c", command) : List.of("sudo", "-n", "-u", "postgres", "/bin/sh", "-c", command));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
    }

    private static Path newestBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new AssertionError("PostgreSQL's programs are not installed under " + root + ": run scripts/postgres-up");
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new AssertionError("no PostgreSQL version under " + root + ": run scripts/postgres-up"));
        }
    }
}
