package io.polyvisor.ha;

import io.polyvisor.server.TestServer;
import io.polyvisor.settings.CorruptSetting;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HA's stored settings: the {@code ha} document, fence agents and service endpoint ports, on H2 and through the server. */
class HaSettingsDocumentTest {
    @TempDir
    Path data;

    @Test
    void settingsRoundTripAsOneDocumentAndTheOldKeysAreMigrated() {
        withStore(store -> {
            var settings = new SettingsStore(store);
            store.putSetting("ha.tolerate_host_failures", "1");
            store.putSetting("ha.fence_retry_seconds", "60");
            assertThat(settings.load(HaSettingsDocument.KEY)).isEqualTo(new HaSettings(1, 60));
            assertThat(store.setting("ha")).contains("{\"fence_retry_seconds\":60,\"tolerate_host_failures\":1}");

            settings.save(HaSettingsDocument.KEY, new HaSettings(2, 30));
            assertThat(store.setting("ha")).contains("{\"tolerate_host_failures\":2}");
            assertThat(settings.load(HaSettingsDocument.KEY)).isEqualTo(new HaSettings(2, 30));
        });
    }

    @Test
    void aCorruptValueFailsNamingTheKeyInsteadOfBecomingTheDefault() {
        withStore(store -> {
            var settings = new SettingsStore(store);
            store.putSetting("ha.fence_retry_seconds", "soon");
            assertThatThrownBy(() -> settings.load(HaSettingsDocument.KEY)).isInstanceOf(CorruptSetting.class)
                    .hasMessage("stored setting \"ha.fence_retry_seconds\" is invalid: fence_retry_seconds must be an integer, got \"soon\"");
            store.putSetting("ha", "{\"tolerate_host_failures\":-3}");
            assertThatThrownBy(() -> settings.load(HaSettingsDocument.KEY)).isInstanceOf(CorruptSetting.class)
                    .hasMessage("stored setting \"ha\" is invalid: tolerate_host_failures must be between 0 and 8, got -3");
        });
    }

    @Test
    void fenceAgentsAreTypedPerHostAndTheOldLineFormIsMigratedWithItsSecret() {
        withStore(store -> {
            var settings = new SettingsStore(store);
            var cfg = new FenceConfig("fence_ipmilan", Map.of("ip", "10.0.0.1", "password", "s3cret"));
            store.putSetting("ha.fence.h1", cfg.encode());
            store.putSetting("ha.fence.h2", ""); // removed, the old way
            assertThat(settings.find(FenceConfig.key("h1"))).contains(cfg);
            assertThat(settings.find(FenceConfig.key("h2"))).isEmpty();
            assertThat(store.setting("ha.fence_agent.h1"))
                    .contains("{\"agent\":\"fence_ipmilan\",\"options\":{\"ip\":\"10.0.0.1\",\"password\":\"s3cret\"}}");
            assertThat(store.setting("ha.fence.h1")).as("the old copy of the password is gone").contains("");

            settings.clear(FenceConfig.key("h1"));
            assertThat(settings.find(FenceConfig.key("h1"))).isEmpty();

            store.putSetting("ha.fence_agent.h3", "{\"agent\":\"/bin/rm\"}");
            assertThatThrownBy(() -> settings.find(FenceConfig.key("h3"))).isInstanceOf(CorruptSetting.class)
                    .hasMessage("stored setting \"ha.fence_agent.h3\" is invalid: fence agent must be a fence_* program name"
                            + " or an absolute path to one, got '/bin/rm'");
            store.putSetting("ha.fence.h4", "ip=10.0.0.4\n");
            assertThatThrownBy(() -> settings.find(FenceConfig.key("h4"))).isInstanceOf(CorruptSetting.class)
                    .hasMessage("stored setting \"ha.fence.h4\" is invalid: fence agent must be a fence_* program name"
                            + " or an absolute path to one, got 'null'");
        });
    }

    @Test
    void anUnreadableFenceAgentFailsThatHostsFencingWithTheReason() {
        withStore(store -> {
            var settings = new SettingsStore(store);
            store.putSetting("ha.fence_agent.h1", "{\"agent\":\"fence_dummy\",\"options\":{\"plug\":1}}");
            var outcome = new Fencer(h -> Optional.empty(), h -> settings.find(FenceConfig.key(h)), Duration.ofSeconds(1)).fence("h1");
            assertThat(outcome).isEqualTo(new FenceOutcome.Failed(
                    "fence agent: stored setting \"ha.fence_agent.h1\" is invalid: options.plug must be a string, got 1"));
        });
    }

    @Test
    void serviceEndpointPortsAreMigratedFromTheBareNumber() {
        withStore(store -> {
            var settings = new SettingsStore(store);
            store.putSetting("ha.service.web.80", "40123");
            assertThat(settings.find(ServiceEndpoints.Port.key("web.80"))).contains(new ServiceEndpoints.Port(40123));
            store.putSetting("ha.service.db.5432", "99999");
            assertThatThrownBy(() -> settings.find(ServiceEndpoints.Port.key("db.5432"))).isInstanceOf(CorruptSetting.class)
                    .hasMessage("stored setting \"ha.service_endpoint.db.5432\" is invalid: port must be between 1 and 65535, got 99999"
                            + " (read from the old keys ha.service.db.5432)");
        });
    }

    @Test
    void theServerServesMigratedSettingsAndRefusesToStartOnCorruptOnes() {
        withStore(store -> {
            store.putSetting("ha.tolerate_host_failures", "1");
            store.putSetting("ha.fence_retry_seconds", "45");
        });
        try (var s = TestServer.start(data, 0)) {
            var got = s.get("/api/v1/ha/settings").json();
            assertThat(got.path("tolerate_host_failures").asInt()).isEqualTo(1);
            assertThat(got.path("fence_retry_seconds").asInt()).isEqualTo(45);
            var put = s.send(s.request("/api/v1/ha/settings").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"fence_retry_seconds\":20}")).build());
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            assertThat(s.server.store().setting("ha")).contains("{\"fence_retry_seconds\":20,\"tolerate_host_failures\":1}");
        }
        withStore(store -> store.putSetting("ha", "{\"tolerate_host_failures\":-3}"));
        assertThatThrownBy(() -> TestServer.start(data, 0)).isInstanceOf(CorruptSetting.class)
                .hasMessage("stored setting \"ha\" is invalid: tolerate_host_failures must be between 0 and 8, got -3");
    }

    private void withStore(Consumer<Store> work) {
        try (Store store = Stores.embedded(data)) {
            work.accept(store);
        }
    }
}
