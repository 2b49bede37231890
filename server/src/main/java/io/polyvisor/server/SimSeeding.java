package io.polyvisor.server;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Legacy;
import io.polyvisor.settings.SettingsKey;

import java.util.Map;

/**
 * {@code --sim N} registered {@code sim://local/h1..hN} on this database's first start, and never again. Stored
 * as {@code server.sim_seeding}, once {@code server.sim_hosts_seeded}.
 */
record SimSeeding(int hosts) {
    static final SettingsKey<SimSeeding> KEY = new SettingsKey<>("server.sim_seeding", null,
            Codec.of(s -> Map.of("hosts", s.hosts()), d -> new SimSeeding(d.integer("hosts", 0))),
            new Legacy.Fields<>(Map.of("hosts", "server.sim_hosts_seeded")));

    SimSeeding {
        InvalidInput.require(hosts >= 1 && hosts <= 1000, "hosts must be between 1 and 1000, got " + hosts);
    }
}
