package io.polyvisor.store;

import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL role or database configured with {@code synchronous_commit = off} acknowledges commits before they
 * reach the WAL (a crash of PostgreSQL then loses them): the store's sessions turn it on, and keep a stronger
 * setting as it is. Runs the store's session set-up on a real PostgreSQL (never skipped).
 */
class PostgresDurabilityTest {
    @Test
    void sessionsCommitSynchronouslyWhateverTheRoleOrDatabaseSays() throws Exception {
        assertThat(sessionSetting("off")).isEqualTo("on");
        assertThat(sessionSetting("local")).isEqualTo("local");
        assertThat(sessionSetting("remote_apply")).isEqualTo("remote_apply");
    }

    /** synchronous_commit in a session that started with {@code initial} (as a role or database default would set it). */
    private static String sessionSetting(String initial) throws Exception {
        var props = new Properties();
        props.setProperty("user", PostgresStoreTest.USER);
        props.setProperty("password", PostgresStoreTest.PASSWORD);
        props.setProperty("options", "-c synchronous_commit=" + initial);
        try (var c = DriverManager.getConnection(PostgresStoreTest.URL, props); var s = c.createStatement()) {
            try (var before = s.executeQuery("SHOW synchronous_commit")) {
                before.next();
                assertThat(before.getString(1)).isEqualTo(initial);
            }
            s.execute(Stores.SYNCHRONOUS_COMMIT);
            try (var after = s.executeQuery("SHOW synchronous_commit")) {
                after.next();
                return after.getString(1);
            }
        }
    }
}
