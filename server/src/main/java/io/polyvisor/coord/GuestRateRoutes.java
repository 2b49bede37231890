package io.polyvisor.coord;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.coordination.RateLimit;
import io.polyvisor.events.Journal;
import io.polyvisor.settings.SettingsStore;

import java.util.List;

import static io.polyvisor.api.WrittenSchema.integer;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** {@code /api/v1/coord/settings}: the guest API's per-VM rate limit (admin). */
final class GuestRateRoutes {
    static final Payload.Written CHANGE = new Payload.Written("CoordSettingsChange", object(List.of(),
            "per_second", map("type", "number", "minimum", 1, "maximum", 100_000,
                    "description", "requests a second each VM may make on average"),
            "burst", integer(1, 100_000)), false);
    private static final Payload SETTINGS = Payload.of(RateLimit.class);

    private final SettingsStore settings;
    private final GuestLimiter limiter;
    private final Journal journal;
    private final ObjectMapper mapper;

    GuestRateRoutes(SettingsStore settings, GuestLimiter limiter, Journal journal, ObjectMapper mapper) {
        this.settings = settings;
        this.limiter = limiter;
        this.journal = journal;
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/v1/coord/settings", "The guest API's rate limit per VM", SETTINGS, ctx -> ctx.json(limiter.limit())),
                Route.put("/api/v1/coord/settings", "Change the guest API's rate limit per VM (every server applies it within a second)",
                        CHANGE, SETTINGS, this::put));
    }

    private void put(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), CHANGE.fields());
        RateLimit cur = settings.load(GuestRateSettings.KEY);
        Double perSecond = b.number("per_second");
        Integer burst = b.integer("burst");
        RateLimit next = new RateLimit(perSecond == null ? cur.perSecond() : perSecond, burst == null ? cur.burst() : burst);
        settings.save(GuestRateSettings.KEY, next);
        limiter.changed(next);
        journal.record(CoordEvent.COORD_SETTINGS, "cluster", "guest API rate limit per VM: " + next.perSecond()
                + " requests a second, bursts of " + next.burst());
        ctx.json(next);
    }
}
