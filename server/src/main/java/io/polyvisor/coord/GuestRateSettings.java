package io.polyvisor.coord;

import io.polyvisor.coordination.RateLimit;
import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Document;
import io.polyvisor.settings.Legacy;
import io.polyvisor.settings.SettingsKey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the guest API's per-VM rate limit is stored: the document {@code coord.guest_rate}, {@code {"per_second":50,
 * "burst":100}} (fields that differ from {@link RateLimit#GUEST_DEFAULT}).
 */
final class GuestRateSettings {
    static final SettingsKey<RateLimit> KEY = new SettingsKey<>("coord.guest_rate", RateLimit.GUEST_DEFAULT,
            Codec.of(GuestRateSettings::write, GuestRateSettings::read), new Legacy.None<>());

    private GuestRateSettings() {}

    private static Map<String, Object> write(RateLimit r) {
        var m = new LinkedHashMap<String, Object>();
        m.put("per_second", r.perSecond());
        m.put("burst", r.burst());
        return m;
    }

    private static RateLimit read(Document d) {
        RateLimit x = RateLimit.GUEST_DEFAULT;
        return new RateLimit(d.number("per_second", x.perSecond()), d.integer("burst", x.burst()));
    }
}
