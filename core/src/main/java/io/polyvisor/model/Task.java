package io.polyvisor.model;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A persisted unit of work the controllers carry out through a driver. Tasks are idempotent: running
 * one again after a crash converges to the same result (keyed by {@code vmId}).
 *
 * @param target   destination host for migrations and placements, else null
 * @param result   figures the task produced (for a migration: {@code total_ms}, {@code downtime_ms}, ...)
 */
public record Task(UUID id, Kind kind, UUID vmId, String target, Status status, int attempts, String error,
                   Instant created, Instant updated, Map<String, String> result) {

    public enum Kind { CREATE, START, STOP, REBOOT, SUSPEND, RESUME, DELETE, MIGRATE, RESTART, FENCE }

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public boolean done() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    public Task {
        result = result == null ? Map.of() : Map.copyOf(result);
    }
}
