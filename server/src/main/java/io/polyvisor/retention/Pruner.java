package io.polyvisor.retention;

import io.polyvisor.events.Journal;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;

import java.time.Clock;
import java.time.Duration;

/**
 * One retention pass: removes what the settings no longer keep, in batches of {@link #BATCH} rows per transaction so
 * that no transaction holds the event log for long, and records what it removed.
 */
final class Pruner {
    static final int BATCH = 5_000;

    /** What a pass removed. */
    record Pruned(long events, long tasks, long eventsPrunedThrough, long audit) {}

    private final Store store;
    private final SettingsStore settings;
    private final Journal journal;
    private final Clock clock;

    Pruner(Store store, SettingsStore settings, Journal journal, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.journal = journal;
        this.clock = clock;
    }

    RetentionSettings settings() {
        return settings.load(RetentionSettings.KEY);
    }

    RetentionSettings configure(RetentionSettings s) {
        settings.save(RetentionSettings.KEY, s);
        journal.record(RetentionEvent.RETENTION_CHANGED, "retention", "retention set: events " + s.eventsMaxAgeHours() + " h or "
                + s.eventsMaxCount() + ", finished tasks " + s.tasksMaxAgeHours() + " h or " + s.tasksMaxCount() + ", audit entries "
                + s.auditMaxAgeDays() + " d or " + s.auditMaxCount());
        journal.signal();
        return s;
    }

    Pruned prune() {
        RetentionSettings s = settings();
        var now = clock.instant();
        long events = 0, tasks = 0, audit = 0;
        int n;
        do {
            n = store.pruneEvents(now.minus(Duration.ofHours(s.eventsMaxAgeHours())), s.eventsMaxCount(), BATCH);
            events += n;
        } while (n == BATCH);
        do {
            n = store.pruneFinishedTasks(now.minus(Duration.ofHours(s.tasksMaxAgeHours())), s.tasksMaxCount(), BATCH);
            tasks += n;
        } while (n == BATCH);
        do {
            n = store.pruneAudit(now.minus(Duration.ofDays(s.auditMaxAgeDays())), s.auditMaxCount(), BATCH);
            audit += n;
        } while (n == BATCH);
        long through = store.eventsPrunedThrough();
        if (events + tasks + audit > 0) {
            journal.record(RetentionEvent.RETENTION_PRUNED, "retention", "retention removed " + events + " events (through seq "
                    + through + "), " + tasks + " finished tasks and " + audit + " audit entries");
            journal.signal();
        }
        return new Pruned(events, tasks, through, audit);
    }
}
