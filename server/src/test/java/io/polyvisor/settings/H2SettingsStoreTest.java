package io.polyvisor.settings;

import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The settings contract on the embedded H2 database. */
class H2SettingsStoreTest extends SettingsStoreContract {
    @TempDir
    Path dataDir;

    @Override
    Store newStore() {
        return Stores.embedded(dataDir);
    }
}
