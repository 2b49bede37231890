package io.polyvisor.retention;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.settings.SettingsStore;

import java.time.Duration;
import java.util.List;

import static io.polyvisor.api.WrittenSchema.integer;
import static io.polyvisor.api.WrittenSchema.object;

/**
 * Retention (docs/API.md#retention): the event log and finished tasks are pruned by age and count, every
 * {@code interval} and on demand; a client resuming the event log from a removed point gets 410.
 */
public final class RetentionFeature implements Feature {
    static final Payload.Written CHANGE = new Payload.Written("RetentionChange", object(List.of(),
            "events_max_age_hours", integer(1, 87_600), "events_max_count", integer(1_000, 100_000_000),
            "tasks_max_age_hours", integer(1, 87_600), "tasks_max_count", integer(100, 10_000_000),
            "audit_max_age_days", integer(1, 3_650), "audit_max_count", integer(1_000, 100_000_000)), false);
    private static final Payload SETTINGS = Payload.of(RetentionView.class);
    private static final Payload PRUNED = Payload.of(PrunedView.class);

    /** The settings, as the API shows them. */
    record RetentionView(int eventsMaxAgeHours, long eventsMaxCount, int tasksMaxAgeHours, int tasksMaxCount, int auditMaxAgeDays,
                         long auditMaxCount) {
        static RetentionView of(RetentionSettings s) {
            return new RetentionView(s.eventsMaxAgeHours(), s.eventsMaxCount(), s.tasksMaxAgeHours(), s.tasksMaxCount(),
                    s.auditMaxAgeDays(), s.auditMaxCount());
        }
    }

    /** What a pass removed; events up to {@code eventsPrunedThrough} are gone. */
    record PrunedView(long events, long tasks, long eventsPrunedThrough, long auditEntries) {}

    private final Pruner pruner;
    private final ObjectMapper mapper;
    private final Duration interval;

    public RetentionFeature(Platform p, Duration interval) {
        this.pruner = new Pruner(p.store(), new SettingsStore(p.store()), p.journal(), p.clock());
        this.mapper = p.mapper();
        this.interval = interval;
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/retention", "Show how long events, finished tasks and the audit journal are kept", SETTINGS,
                        ctx -> ctx.json(RetentionView.of(pruner.settings()))),
                Route.post("/api/v1/retention", "Set how long events, finished tasks and the audit journal are kept (fields left out keep their value)",
                        200, CHANGE, SETTINGS, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), CHANGE.fields());
                            RetentionSettings cur = pruner.settings();
                            Integer ea = b.integer("events_max_age_hours"), ta = b.integer("tasks_max_age_hours"), tc = b.integer("tasks_max_count");
                            Long ec = b.longInteger("events_max_count");
                            Integer aa = b.integer("audit_max_age_days");
                            Long ac = b.longInteger("audit_max_count");
                            var next = new RetentionSettings(ea == null ? cur.eventsMaxAgeHours() : ea, ec == null ? cur.eventsMaxCount() : ec,
                                    ta == null ? cur.tasksMaxAgeHours() : ta, tc == null ? cur.tasksMaxCount() : tc,
                                    aa == null ? cur.auditMaxAgeDays() : aa, ac == null ? cur.auditMaxCount() : ac);
                            ctx.json(RetentionView.of(pruner.configure(next)));
                        }),
                Route.post("/api/v1/retention/prune", "Run a retention pass now; answers what it removed", 200, null, PRUNED, ctx -> {
                    var p = pruner.prune();
                    ctx.json(new PrunedView(p.events(), p.tasks(), p.eventsPrunedThrough(), p.audit()));
                }));
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.every("retention", interval, pruner::prune));
    }
}
