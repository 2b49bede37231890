package io.polyvisor.store;

import org.junit.jupiter.api.AfterAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The store contract on a real PostgreSQL, one fresh schema per test (dropped at the end). Never skipped:
 * if PostgreSQL cannot be reached the tests fail and say how to start it.
 */
class PostgresStoreTest extends JdbiStoreContract {
    static final String URL = env("POLYVISOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/polyvisor_test");
    static final String USER = env("POLYVISOR_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("POLYVISOR_TEST_PG_PASSWORD", "postgres");
    private static final List<String> SCHEMAS = new ArrayList<>();

    private String schema;

    @Override
    Store newStore() {
        schema = "pv_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        SCHEMAS.add(schema);
        return reopen();
    }

    @Override
    Store reopen() {
        return Stores.open(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
    }

    @AfterAll
    static void dropSchemas() {
        for (String s : SCHEMAS) sql("DROP SCHEMA " + s + " CASCADE");
        SCHEMAS.clear();
    }

    static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            c.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not usable at " + URL + " as " + USER + " (" + e.getMessage() + ")."
                    + " Start it with `sudo scripts/postgres-up` (installs PostgreSQL if needed), or point"
                    + " POLYVISOR_TEST_PG_URL, POLYVISOR_TEST_PG_USER and POLYVISOR_TEST_PG_PASSWORD at another one.", e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
