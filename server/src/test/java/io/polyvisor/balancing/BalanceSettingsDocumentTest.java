package io.polyvisor.balancing;

import io.polyvisor.balance.Automation;
import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.settings.CorruptSetting;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The balancer's stored settings: the {@code balance} document, once {@code balance.mode} and {@code balance.automation}. */
class BalanceSettingsDocumentTest {
    @TempDir
    Path data;
    Store store;
    SettingsStore settings;

    @BeforeEach
    void open() {
        store = Stores.embedded(data);
        settings = new SettingsStore(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void everyFieldRoundTrips() {
        var s = new BalanceSettings(BalanceMode.CONSOLIDATE, Automation.PARTIAL, 0.9, 0.7, 0.2, 0.1, 0.01, 60, 3, 1e9, 120, 7200, 50);
        settings.save(BalanceSettingsDocument.KEY, s);
        assertThat(settings.load(BalanceSettingsDocument.KEY)).isEqualTo(s);
        settings.save(BalanceSettingsDocument.KEY, BalanceSettings.DEFAULTS.withMode(BalanceMode.CONSOLIDATE));
        assertThat(store.setting("balance")).contains("{\"mode\":\"consolidate\"}");
    }

    @Test
    void theOldModeAndAutomationKeysAreMigrated() {
        store.putSetting("balance.mode", "consolidate");
        store.putSetting("balance.automation", "full");
        assertThat(settings.load(BalanceSettingsDocument.KEY))
                .isEqualTo(BalanceSettings.DEFAULTS.withMode(BalanceMode.CONSOLIDATE).withAutomation(Automation.FULL));
        assertThat(store.setting("balance")).contains("{\"automation\":\"full\",\"mode\":\"consolidate\"}");
    }

    @Test
    void aCorruptValueFailsNamingTheKey() {
        store.putSetting("balance.mode", "fastest");
        assertThatThrownBy(() -> settings.load(BalanceSettingsDocument.KEY)).isInstanceOf(CorruptSetting.class)
                .hasMessage("stored setting \"balance.mode\" is invalid: balance mode must be balance or consolidate, got 'fastest'");
        store.putSetting("balance", "{\"max_concurrent\":0}");
        assertThatThrownBy(() -> settings.load(BalanceSettingsDocument.KEY)).isInstanceOf(CorruptSetting.class)
                .hasMessage("stored setting \"balance\" is invalid: max concurrent migrations must be between 1 and 100000, got 0");
    }
}
