package io.polyvisor.retention;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Document;
import io.polyvisor.settings.Legacy;
import io.polyvisor.settings.SettingsKey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long the event log, the history of finished tasks and the audit journal are kept: each is pruned by age and by
 * count, whichever removes more. Queued and running tasks are never pruned. Stored as the settings document
 * {@code retention}.
 *
 * @param eventsMaxAgeHours 1 to 87,600 (ten years); default 168 (a week)
 * @param eventsMaxCount    1,000 to 100,000,000; default 1,000,000
 * @param tasksMaxAgeHours  1 to 87,600; default 168
 * @param tasksMaxCount     100 to 10,000,000; default 100,000
 * @param auditMaxAgeDays   1 to 3,650; default 365 (an audit trail outlives the event log)
 * @param auditMaxCount     1,000 to 100,000,000; default 10,000,000
 */
public record RetentionSettings(int eventsMaxAgeHours, long eventsMaxCount, int tasksMaxAgeHours, int tasksMaxCount,
                                int auditMaxAgeDays, long auditMaxCount) {
    public static final RetentionSettings DEFAULTS = new RetentionSettings(168, 1_000_000, 168, 100_000, 365, 10_000_000);
    static final SettingsKey<RetentionSettings> KEY = new SettingsKey<>("retention", DEFAULTS,
            Codec.of(RetentionSettings::write, RetentionSettings::read), new Legacy.None<>());

    public RetentionSettings {
        InvalidInput.require(eventsMaxAgeHours >= 1 && eventsMaxAgeHours <= 87_600,
                "events_max_age_hours must be between 1 and 87600, got " + eventsMaxAgeHours);
        InvalidInput.require(eventsMaxCount >= 1_000 && eventsMaxCount <= 100_000_000,
                "events_max_count must be between 1000 and 100000000, got " + eventsMaxCount);
        InvalidInput.require(tasksMaxAgeHours >= 1 && tasksMaxAgeHours <= 87_600,
                "tasks_max_age_hours must be between 1 and 87600, got " + tasksMaxAgeHours);
        InvalidInput.require(tasksMaxCount >= 100 && tasksMaxCount <= 10_000_000,
                "tasks_max_count must be between 100 and 10000000, got " + tasksMaxCount);
        InvalidInput.require(auditMaxAgeDays >= 1 && auditMaxAgeDays <= 3_650,
                "audit_max_age_days must be between 1 and 3650, got " + auditMaxAgeDays);
        InvalidInput.require(auditMaxCount >= 1_000 && auditMaxCount <= 100_000_000,
                "audit_max_count must be between 1000 and 100000000, got " + auditMaxCount);
    }

    private static Map<String, Object> write(RetentionSettings s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("events_max_age_hours", s.eventsMaxAgeHours());
        m.put("events_max_count", s.eventsMaxCount());
        m.put("tasks_max_age_hours", s.tasksMaxAgeHours());
        m.put("tasks_max_count", s.tasksMaxCount());
        m.put("audit_max_age_days", s.auditMaxAgeDays());
        m.put("audit_max_count", s.auditMaxCount());
        return m;
    }

    private static RetentionSettings read(Document d) {
        var x = DEFAULTS;
        return new RetentionSettings(d.integer("events_max_age_hours", x.eventsMaxAgeHours()), d.longInteger("events_max_count", x.eventsMaxCount()),
                d.integer("tasks_max_age_hours", x.tasksMaxAgeHours()), d.integer("tasks_max_count", x.tasksMaxCount()),
                d.integer("audit_max_age_days", x.auditMaxAgeDays()), d.longInteger("audit_max_count", x.auditMaxCount()));
    }
}
