package io.polyvisor.identity;

import io.polyvisor.server.ServerConfig;
import io.polyvisor.server.TestServer;
import io.polyvisor.store.PostgresStoreTestAccess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A test server on embedded H2 or on a fresh schema of the test PostgreSQL (never skipped: start it with
 * {@code sudo scripts/postgres-up}), and every stored row as text, to look for what must never be stored.
 */
final class Databases implements AutoCloseable {
    final String db;
    final Path data;
    private final String schema;

    Databases(String db, Path data) {
        this.db = db;
        this.data = data;
        this.schema = db.equals("h2") ? null : "pv_identity_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (schema != null) sql("CREATE SCHEMA " + schema);
    }

    ServerConfig config(int simHosts) {
        var c = ServerConfig.of(data).withPort(0).withSimHosts(simHosts).withTiming(TestServer.FAST);
        return schema == null ? c : c.withDatabase(url(), PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password());
    }

    String url() {
        String base = PostgresStoreTestAccess.url();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /**
     * Everything the database holds, as text: on H2 the bytes of every file in the data folder (read after the
     * server closed), on PostgreSQL every row of every table of the schema.
     */
    String everything() throws Exception {
        if (schema == null) {
            StringBuilder all = new StringBuilder();
            try (Stream<Path> files = Files.walk(data)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("admin.token")).toList()) {
                    all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
            return all.toString();
        }
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url(), PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password())) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
            }
            if (tables.size() < 5) throw new AssertionError("expected the schema's tables, found " + tables);
            for (String t : tables) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + schema + "." + t)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) all.append(rs.getString(i)).append('\t');
                        all.append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        if (schema != null) sql("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(PostgresStoreTestAccess.url(), PostgresStoreTestAccess.user(),
                PostgresStoreTestAccess.password())) {
            c.createStatement().execute(statement);
        } catch (Exception e) {
            throw new AssertionError("PostgreSQL is not usable (" + e.getMessage() + "); start it with `sudo scripts/postgres-up`", e);
        }
    }
}
