package io.polyvisor.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store contract on the embedded H2 file database, one fresh data folder per test. */
class H2StoreTest extends JdbiStoreContract {
    @TempDir
    Path dataDir;

    @Override
    Store newStore() {
        return Stores.embedded(dataDir);
    }

    @Override
    Store reopen() {
        return Stores.embedded(dataDir);
    }
}
