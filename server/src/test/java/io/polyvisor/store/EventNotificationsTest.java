package io.polyvisor.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LISTEN/NOTIFY between two stores on one real PostgreSQL schema (two servers): a commit that appended events
 * reaches the other's listener at once; a write without events, and a rolled-back one, send nothing.
 */
class EventNotificationsTest {
    private String schema;
    private Store writer;
    private Store reader;

    @BeforeEach
    void open() {
        schema = "notify_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        String url = PostgresStoreTestAccess.url();
        url = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        writer = Stores.open(url, PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password());
        reader = Stores.open(url, PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password());
    }

    @AfterEach
    void drop() {
        writer.close();
        reader.close();
        sql("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void aCommitThatAppendedEventsIsHeardByTheOtherServerAtOnceAndNothingElseIs() throws Exception {
        var heard = new LinkedBlockingQueue<Long>();
        try (var l = reader.listenForEvents(() -> heard.add(System.nanoTime()))) {
            assertThat(heard.poll(10, TimeUnit.SECONDS)).as("the call once listening").isNotNull();
            long t0 = System.nanoTime();
            writer.appendEvent("host.suspect", "h1", "late");
            Long at = heard.poll(5, TimeUnit.SECONDS);
            assertThat(at).as("heard the commit").isNotNull();
            assertThat((at - t0) / 1e6).as("ms from the write to the other store hearing it").isLessThan(400);

            writer.putSetting("k", "v"); // a write without an event
            assertThatThrownBy(() -> writer.inTransaction(tx -> {
                tx.appendEvent("host.suspect", "h1", "rolled back");
                throw new IllegalStateException("abort");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(heard.poll(1_500, TimeUnit.MILLISECONDS)).as("nothing to hear").isNull();
        }
        Store h2 = Stores.embedded(java.nio.file.Files.createTempDirectory("h2"));
        try {
            assertThatThrownBy(() -> h2.listenForEvents(() -> {})).isInstanceOf(UnsupportedOperationException.class);
        } finally {
            h2.close();
        }
    }

    private static void sql(String statement) {
        try (var c = DriverManager.getConnection(PostgresStoreTestAccess.url(), PostgresStoreTestAccess.user(), PostgresStoreTestAccess.password())) {
            c.createStatement().execute(statement);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("PostgreSQL is needed (sudo scripts/postgres-up): " + e.getMessage(), e);
        }
    }
}
