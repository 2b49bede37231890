package io.polyvisor.bench;

import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away database for {@link StoreBench}, removed on close: an embedded H2 in a temporary folder, or a
 * scratch schema in a PostgreSQL database (so a benchmark never writes into a real Polyvisor schema).
 */
public final class BenchDatabase implements AutoCloseable {
    private final String label;
    private final StoreBench.Target target;
    private final Runnable cleanup;

    private BenchDatabase(String label, StoreBench.Target target, Runnable cleanup) {
        this.label = label;
        this.target = target;
        this.cleanup = cleanup;
    }

    public static BenchDatabase embedded() throws IOException {
        Path dir = Files.createTempDirectory("polyvisor-bench-");
        Store store = Stores.embedded(dir);
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("polyvisor") + ";AUTO_SERVER=FALSE;WRITE_DELAY=0";
        return new BenchDatabase("h2", new StoreBench.Target(url, "sa", "", store), () -> {
            store.close();
            deleteTree(dir);
        });
    }

    /** A fresh schema {@code polyvisor_bench_*} in the database at {@code url}, dropped on close. */
    public static BenchDatabase postgres(String url, String user, String password) {
        String schema = "polyvisor_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql(url, user, password, "CREATE SCHEMA " + schema);
        String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            Store store = Stores.open(scoped, user, password);
            return new BenchDatabase("postgresql", new StoreBench.Target(scoped, user, password, store), () -> {
                store.close();
                sql(url, user, password, "DROP SCHEMA " + schema + " CASCADE");
            });
        } catch (RuntimeException e) {
            sql(url, user, password, "DROP SCHEMA " + schema + " CASCADE");
            throw e;
        }
    }

    public String label() {
        return label;
    }

    public StoreBench.Target target() {
        return target;
    }

    @Override
    public void close() {
        cleanup.run();
    }

    private static void sql(String url, String user, String password, String statement) {
        try (var c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare benchmark schema in " + Stores.redact(url) + ": "
                    + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
