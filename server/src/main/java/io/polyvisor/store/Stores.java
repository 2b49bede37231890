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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Stores.class);
    /** Enough for the controllers and API threads of one server; writers mostly queue on row locks anyway. */
    private static final int POOL_SIZE = 8;

    private Stores() {}

    /**
     * The embedded database in {@code dataDir} (created if missing): H2 file {@code dataDir/polyvisor.mv.db},
     * usable by this process only. Writes are made durable by {@link H2GroupSync}, which needs
     * {@code WRITE_DELAY=0} (see {@link #durability}). {@code DB_CLOSE_ON_EXIT=FALSE}: the database closes when this store is closed,
     * not in H2's own shutdown hook, which would race the server's orderly shutdown (controllers still writing
     * while H2 closes under them).
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

    /**
     * A database by JDBC URL: {@code jdbc:postgresql://host:5432/db} or {@code jdbc:h2:...}. Every write the store
     * returns from is durable ({@link Durability}): on PostgreSQL, sessions run with {@code synchronous_commit}
     * on unless the server asks for more, and a server running with {@code fsync} off is reported at start; an
     * H2 file database is synced by group commit, which needs an admin user (checked here); an in-memory H2
     * keeps nothing anyway.
     */
    public static Store open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, java.util.function.UnaryOperator.identity());
    }

    /**
     * As {@link #open(String, String, String)} with a pool of {@code connections} of its own: for work that must not
     * queue behind the main pool (a cluster member's heartbeat and lease renewals, docs/CLUSTER.md).
     */
    public static Store open(String jdbcUrl, String user, String password, int connections) {
        return open(jdbcUrl, user, password, java.util.function.UnaryOperator.identity(), connections);
    }

    /** As {@link #open(String, String, String)}, with the durability chosen for the database passed through {@code around} (tests). */
    static Store open(String jdbcUrl, String user, String password, java.util.function.UnaryOperator<Durability> around) {
        return open(jdbcUrl, user, password, around, POOL_SIZE);
    }

    private static Store open(String jdbcUrl, String user, String password, java.util.function.UnaryOperator<Durability> around,
                              int connections) {
        InvalidInput.require(jdbcUrl != null && (jdbcUrl.startsWith("jdbc:postgresql:") || jdbcUrl.startsWith("jdbc:h2:")),
                "database URL must start with jdbc:postgresql:// or jdbc:h2:, got '" + redact(jdbcUrl) + "'");
        if (h2File(jdbcUrl)) closeCleanly(jdbcUrl, user, password);
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(connections);
        config.setMinimumIdle(1);
        config.setPoolName("polyvisor-store");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(3_000); // how long to wait for a database that is starting
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        // a role or database set to synchronous_commit = off would acknowledge commits before they reach the WAL
        if (postgres) config.setConnectionInitSql(SYNCHRONOUS_COMMIT);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailable("cannot connect to database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            Jdbi jdbi = Jdbi.create(pool);
            Durability durability = around.apply(durability(jdbi, jdbcUrl, postgres));
            EventNotifications notifications = !postgres ? null : new EventNotifications(
                    jdbi.withHandle(h -> h.createQuery("SELECT current_schema()").mapTo(String.class).one()),
                    () -> java.sql.DriverManager.getConnection(jdbcUrl, user, password));
            return new JdbiStore(jdbi, durability, pool, notifications);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static boolean h2File(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:") && !jdbcUrl.startsWith("jdbc:h2:tcp:")
                && !jdbcUrl.startsWith("jdbc:h2:ssl:");
    }

    /**
     * Before the pool opens an H2 file: recovers it by a full scan, then opens it once and closes it cleanly.
     *
     * <p>H2's own recovery after an unclean end ({@code kill -9}) is quick: it starts from the chunk the file header
     * names and follows each chunk's prediction of where the next one goes, plus the chunk at the end of the file.
     * When a chunk goes elsewhere (into reused free space, as the first chunk after a clean close can), H2 rewrites
     * the header, but naming the chunk before it (its FileStore sets the last chunk only after writing the new one,
     * header included), so the chunks from there on are found only once the header is rewritten again (every 20
     * versions or at the next misprediction). A kill before that lost every commit since, durable and answered ones
     * included: a process that lived briefly after a restart lost all it had committed (caught by
     * {@code CrashLoopTest}: events streamed, then gone after the next restart, their seqs handed out again; the
     * chunks were still in the file, and a full scan finds them; {@code DurabilityTest} reproduces it). So the file
     * is first opened as a bare MVStore in recovery mode, which scans every block for chunks and takes the newest
     * one whose chunks are all intact, and closed at once without compaction, which writes that chunk into the
     * header as a clean end. The clean close through the database then ends the transactions a kill left open
     * (committed ones committed, the rest rolled back) before the pool opens it.
     */
    private static void closeCleanly(String jdbcUrl, String user, String password) {
        Path file = h2FilePath(jdbcUrl).orElse(null);
        if (file != null && Files.exists(file)) {
            try {
                new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).recoveryMode().open().close(0);
            } catch (RuntimeException e) {
                throw new StoreUnavailable("cannot recover database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
            }
        }
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, user, password); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new StoreUnavailable("cannot open database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
    }

    /** The {@code .mv.db} file of an H2 file URL ({@code jdbc:h2:[file:]PATH[;...]}, {@code ~} for the home folder). */
    static java.util.Optional<Path> h2FilePath(String jdbcUrl) {
        if (!h2File(jdbcUrl)) return java.util.Optional.empty();
        String name = jdbcUrl.substring("jdbc:h2:".length());
        if (name.startsWith("file:")) name = name.substring("file:".length());
        int semicolon = name.indexOf(';');
        if (semicolon >= 0) name = name.substring(0, semicolon);
        if (name.startsWith("~")) name = System.getProperty("user.home") + name.substring(1);
        return java.util.Optional.of(Path.of(name + ".mv.db"));
    }

    /** Sets {@code synchronous_commit} to on when it is off, and keeps a stronger setting (remote_apply...). */
    static final String SYNCHRONOUS_COMMIT = "SELECT set_config('synchronous_commit', CASE"
            + " WHEN current_setting('synchronous_commit') = 'off' THEN 'on' ELSE current_setting('synchronous_commit') END, false)";

    private static Durability durability(Jdbi jdbi, String jdbcUrl, boolean postgres) {
        if (postgres) {
            String fsync = jdbi.withHandle(h -> h.createQuery("SHOW fsync").mapTo(String.class).one());
            if (!"on".equals(fsync)) {
                LOG.warn("PostgreSQL at {} runs with fsync = {}: commits survive a crash of Polyvisor but not of its machine",
                        redact(jdbcUrl), fsync);
            }
            return new Durability.AtCommit();
        }
        if (jdbcUrl.startsWith("jdbc:h2:mem:")) return new Durability.AtCommit();
        try {
            // With a write delay, H2's background writer stores commits asynchronously (H2 2.5's FileStore hands the
            // chunk to an executor and returns), and a CHECKPOINT SYNC that finds such a store under way skips its own
            // and may force the file before that chunk is written. Without one, every store writes before it returns.
            jdbi.useHandle(h -> h.execute("SET WRITE_DELAY 0"));
            jdbi.useHandle(H2GroupSync::sync); // what is already in the file is durable from here on
        } catch (RuntimeException e) {
            throw new StoreUnavailable("cannot sync database " + redact(jdbcUrl) + " (the H2 user must be an admin): "
                    + rootMessage(e), e);
        }
        return new H2GroupSync(h2FilePath(jdbcUrl).orElse(null));
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

    /**
     * Logs a background round's failure: one warning line when the database is unreachable (every round fails the same
     * way until it is back; the stack says nothing), else an error with the stack trace.
     */
    public static void logFailure(org.slf4j.Logger log, String what, Throwable e) {
        if (unreachable(e)) log.warn("{}: the database is unreachable: {}", what, rootMessage(e));
        else log.error(what, e);
    }

    /**
     * The message of the innermost cause that has one (what the driver said, without the layers above it), or the
     * innermost cause's class name when none has.
     */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null) {
            t = t.getCause();
            if (t.getMessage() != null) message = t.getMessage();
        }
        return message != null ? message : t.getClass().getSimpleName();
    }

    /**
     * Whether {@code e} (from any store call) means the database cannot be reached right now, e.g. while it restarts:
     * the call may succeed later; nothing it did was committed.
     */
    public static boolean unreachable(Throwable e) {
        return e instanceof StoreUnavailable || SqlErrors.unreachable(e);
    }

    /** The database cannot be reached or opened; the message says which and why. */
    public static final class StoreUnavailable extends RuntimeException {
        StoreUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
