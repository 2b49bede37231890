package io.polyvisor.store;

/** The test PostgreSQL settings of {@link PostgresStoreTest}, for tests in other packages. */
public final class PostgresStoreTestAccess {
    private PostgresStoreTestAccess() {}

    public static String url() {
        return PostgresStoreTest.URL;
    }

    public static String user() {
        return PostgresStoreTest.USER;
    }

    public static String password() {
        return PostgresStoreTest.PASSWORD;
    }
}
