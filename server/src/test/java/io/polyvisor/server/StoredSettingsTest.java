package io.polyvisor.server;

import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.settings.CorruptSetting;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The composition root's stored settings: placement (read once at start) and the --sim seeding marker. */
class StoredSettingsTest {
    @TempDir
    Path data;

    @Test
    void placementRoundTripsAndACorruptOneStopsTheStart() {
        try (Store store = Stores.embedded(data)) {
            var settings = new SettingsStore(store);
            var p = PlacementSettings.DEFAULTS.withOvercommit(2, 1.5).withWeights(Map.of("binpack", 3.0));
            settings.save(PlacementSettingsDocument.KEY, p);
            assertThat(settings.load(PlacementSettingsDocument.KEY)).isEqualTo(p);
            assertThat(store.setting("placement")).contains("{\"cpu_overcommit\":2.0,\"memory_overcommit\":1.5,\"weights\":{\"binpack\":3.0}}");
            store.putSetting("placement", "{\"weights\":{\"binpack\":-1}}");
        }
        assertThatThrownBy(() -> TestServer.start(data, 0)).isInstanceOf(CorruptSetting.class)
                .hasMessage("stored setting \"placement\" is invalid: weight of binpack must be between 0 and 100, got -1.0");
    }

    @Test
    void simSeedingIsMigratedSoAnOldDatabaseIsNotSeededAgain() {
        try (Store store = Stores.embedded(data)) {
            store.putSetting("server.sim_hosts_seeded", "2");
        }
        try (var s = TestServer.start(data, 2)) {
            assertThat(s.get("/api/v1/hosts").json()).isEmpty();
            assertThat(s.server.store().setting("server.sim_seeding")).contains("{\"hosts\":2}");
        }
    }
}
