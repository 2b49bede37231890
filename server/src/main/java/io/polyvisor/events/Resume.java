package io.polyvisor.events;

import io.polyvisor.model.Refusal;
import io.polyvisor.store.Store;

/**
 * Where a client resumes the event log. A client that names a point (Last-Event-ID, {@code after}) older than what
 * retention kept would silently miss the events in between: it gets 410 instead, with where the log now starts, and
 * starts over from a fresh listing. A client that names no point starts at the oldest event kept.
 */
public final class Resume {
    private Resume() {}

    /** {@code after} itself, if nothing after it was removed; else a {@link Refusal} GONE (410). */
    public static long checked(Store store, long after) {
        long pruned = store.eventsPrunedThrough();
        if (after < pruned) {
            throw Refusal.gone("events up to seq " + pruned + " were removed by retention, so the events after seq " + after
                    + " cannot all be given; list the current state again and resume after seq " + pruned + " or later");
        }
        return after;
    }
}
