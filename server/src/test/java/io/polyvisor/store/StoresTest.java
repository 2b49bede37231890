package io.polyvisor.store;

import io.polyvisor.model.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening a store: what a user sees for a wrong URL or a database that is down. */
class StoresTest {
    @TempDir
    Path dir;

    @Test
    void refusesAUrlThatIsNotH2OrPostgres() {
        assertThatThrownBy(() -> Stores.open("jdbc:mysql://db/x?password=hunter2", "u", "p"))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("database URL must start with jdbc:postgresql:// or jdbc:h2:, got 'jdbc:mysql://db/x'");
    }

    @Test
    void saysWhichDatabaseIsUnreachableWithoutShowingSecrets() {
        assertThatThrownBy(() -> Stores.open("jdbc:postgresql://127.0.0.1:1/polyvisor?password=hunter2", "u", "hunter2"))
                .isInstanceOf(Stores.StoreUnavailable.class)
                .hasMessageStartingWith("cannot connect to database jdbc:postgresql://127.0.0.1:1/polyvisor: ")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void embeddedCreatesItsDataFolderAndOneDatabaseFile() {
        Path data = dir.resolve("a/b");
        try (Store store = Stores.embedded(data)) {
            store.putSetting("k", "v");
        }
        assertThat(Files.exists(data.resolve("polyvisor.mv.db"))).isTrue();
        try (Store store = Stores.embedded(data)) {
            assertThat(store.setting("k")).contains("v");
        }
    }
}
