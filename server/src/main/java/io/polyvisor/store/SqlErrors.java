package io.polyvisor.store;

import java.sql.SQLException;
import java.util.Set;

/** Classifies database failures by SQLSTATE, the same on H2 and PostgreSQL. */
final class SqlErrors {
    private static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL says 23503 for a foreign key violation, H2 says 23506 (missing parent row). */
    private static final Set<String> FOREIGN_KEY_VIOLATION = Set.of("23503", "23506");
    /**
     * Failures where running the same transaction again may succeed: serialization failure and deadlock
     * (40001 on both, 40P01 on PostgreSQL) and H2's lock timeout (HYT00).
     */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "HYT00");

    private SqlErrors() {}

    static boolean uniqueViolation(Throwable e) {
        return UNIQUE_VIOLATION.equals(sqlState(e));
    }

    static boolean foreignKeyViolation(Throwable e) {
        String state = sqlState(e);
        return state != null && FOREIGN_KEY_VIOLATION.contains(state);
    }

    static boolean retryable(Throwable e) {
        String state = sqlState(e);
        return state != null && RETRYABLE.contains(state);
    }

    /**
     * The database cannot be reached now: a connection that failed or broke (SQLSTATE class 08), a server shutting
     * down or starting (57P01-57P03), or no connection from the pool in time (the pool's own transient exception).
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of the first {@link SQLException} in the cause chain, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) return s.getSQLState();
        }
        return null;
    }
}
