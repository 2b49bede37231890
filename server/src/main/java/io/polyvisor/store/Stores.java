package io.polyvisor.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.polyvisor.model.InvalidInput;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a {@link Store}: connects a small connection pool, brings the schema up to date with the Flyway
 * migrations in {@code db/migration}, and returns a {@link JdbiStore} that owns the pool.
 */
public final class Stores {
    /** Enough for the controllers and API threads of one server; writers mostly queue on row locks anyway. */
    private static final int POOL_SIZE = 8;

    private Stores() {}

    /**
     * The embedded database in {@code dataDir} (created if missing): H2 file {@code dataDir/polyvisor.mv.db},
     * usable by this process only. {@code WRITE_DELAY=0} writes each commit to the file before returning,
     * so a commit survives the process being killed. {@code DB_CLOSE_ON_EXIT=FALSE}: the database closes
     * when this store is closed, not in H2's own shutdown hook, which would race the server's orderly
     * shutdown (controllers still writing while H2 closes under them).
     */
    public static Store embedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + dataDir, e);
        }
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("polyvisor")
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";
        return open(url, "sa", "");
    }

    /** A database by JDBC URL: {@code jdbc:postgresql://host:5432/db} or {@code jdbc:h2:...}. */
    public static Store open(String jdbcUrl, String user, String password) {
        InvalidInput.require(jdbcUrl != null && (jdbcUrl.startsWith("jdbc:postgresql:") || jdbcUrl.startsWith("jdbc:h2:")),
                "database URL must start with jdbc:postgresql:// or jdbc:h2:, got '" + redact(jdbcUrl) + "'");
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setPoolName("polyvisor-store");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(3_000); // how long to wait for a database that is starting
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailable("cannot connect to database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            return new JdbiStore(Jdbi.create(pool), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The URL without its parameters, which may carry a password. */
    public static String redact(String jdbcUrl) {
        if (jdbcUrl == null) return "null";
        int cut = jdbcUrl.length();
        for (char c : new char[] {'?', ';'}) {
            int i = jdbcUrl.indexOf(c);
            if (i >= 0) cut = Math.min(cut, i);
        }
        String base = jdbcUrl.substring(0, Math.min(cut, 200));
        int at = base.indexOf('@');
        return at >= 0 ? "(credentials hidden)" + base.substring(at) : base;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }

    /** The database cannot be reached or opened; the message says which and why. */
    public static final class StoreUnavailable extends RuntimeException {
        StoreUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
