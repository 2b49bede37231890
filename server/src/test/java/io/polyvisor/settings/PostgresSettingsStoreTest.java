package io.polyvisor.settings;

import io.polyvisor.store.PostgresStoreTestAccess;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.AfterAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The settings contract on a real PostgreSQL, one fresh schema per test. Never skipped (see PostgresStoreTest). */
class PostgresSettingsStoreTest extends SettingsStoreContract {
    private static final List<String> SCHEMAS = new ArrayList<>();

    @Override
    Store newStore() {
        String schema = "pv_settings_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        SCHEMAS.add(schema);
        String url = PostgresStoreTestAccess.url();
        return Stores.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password());
    }

    @AfterAll
    static void dropSchemas() {
        for (String s : SCHEMAS) sql("DROP SCHEMA " + s + " CASCADE");
        SCHEMAS.clear();
    }

    private static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(PostgresStoreTestAccess.url(), PostgresStoreTestAccess.user(),
                PostgresStoreTestAccess.password())) {
            c.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not usable at " + PostgresStoreTestAccess.url() + " (" + e.getMessage()
                    + "). Start it with `sudo scripts/postgres-up`.", e);
        }
    }
}
