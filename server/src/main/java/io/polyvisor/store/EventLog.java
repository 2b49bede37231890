package io.polyvisor.store;

import io.polyvisor.model.Event;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Rows of {@code events}. A transaction's events are written when it commits ({@link #write}, under the store's
 * commit lock): their seqs are taken by incrementing the {@code event_seq} counter row in the database, which stays
 * locked until that commit ends, so seqs become visible in order (across servers sharing the database too). A rolled-back append gives its seq back, which is safe because nobody saw it; a committed one is durable
 * before anyone is told of it ({@link Durability}), so no seq a client has seen is ever handed out again, not even
 * after a crash.
 */
final class EventLog {
    private EventLog() {}

    /** The last seq handed out. */
    static long lastSeq(Handle h) {
        return h.createQuery("SELECT last_value FROM counters WHERE counter = 'event_seq'").mapTo(Long.class).one();
    }

    /** An event appended in a transaction that has not committed yet: it gets its seq at commit ({@link #write}). */
    record Pending(String type, String subject, String message, Instant at, java.util.Map<String, String> data) {}

    /**
     * Numbers {@code pending} (in order) and inserts them: one increment of the counter row, which then stays locked
     * until the transaction ends. Called right before the commit, so appenders queue behind each other only for
     * their commits.
     */
    static List<Event> write(Handle h, List<Pending> pending) {
        if (pending.isEmpty()) return List.of();
        h.createUpdate("UPDATE counters SET last_value = last_value + :n WHERE counter = 'event_seq'")
                .bind("n", pending.size()).execute();
        long first = lastSeq(h) - pending.size() + 1;
        var batch = h.prepareBatch("INSERT INTO events (seq, at, type, subject, message, data) VALUES (:seq, :at, :type, :subject, :message, :data)");
        var events = new java.util.ArrayList<Event>(pending.size());
        for (Pending p : pending) {
            Event e = new Event(first + events.size(), p.at(), p.type(), p.subject(), p.message(), p.data());
            batch.bind("seq", e.seq()).bind("at", e.at().atOffset(ZoneOffset.UTC)).bind("type", e.type())
                    .bind("subject", e.subject()).bind("message", e.message())
                    .bind("data", e.data().isEmpty() ? null : Json.strings(e.data())).add();
            events.add(e);
        }
        batch.execute();
        return List.copyOf(events);
    }

    /**
     * The last seq removed by retention: every seq up to it is gone, every later one is kept. Seqs are dense (a seq is
     * given back only by a rollback, before anyone saw it), so that is the smallest kept seq minus one, or the last seq
     * handed out when none is kept (0 on a new database).
     */
    static long prunedThrough(Handle h) {
        Long min = h.createQuery("SELECT MIN(seq) FROM events").mapTo(Long.class).one();
        return min == null ? lastSeq(h) : min - 1;
    }

    /** The last seq of an event older than {@code cutoff} (events are appended in time order), or 0 if none. */
    static long lastBefore(Handle h, Instant cutoff) {
        Long first = h.createQuery("SELECT seq FROM events WHERE at >= :cutoff ORDER BY seq LIMIT 1")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC)).mapTo(Long.class).findOne().orElse(null);
        return first != null ? first - 1 : lastSeq(h);
    }

    /** Deletes events with {@code seq <= through}, at most {@code batch} of the oldest; returns how many. */
    static int prune(Handle h, long through, int batch) {
        long from = prunedThrough(h);
        long upTo = Math.min(through, from + batch);
        if (upTo <= from) return 0;
        return h.createUpdate("DELETE FROM events WHERE seq <= :upTo").bind("upTo", upTo).execute();
    }

    /** Events with {@code afterSeq < seq <= upToSeq}, oldest first. */
    static List<Event> after(Handle h, long afterSeq, long upToSeq, int limit) {
        return h.createQuery("SELECT * FROM events WHERE seq > :after AND seq <= :upTo ORDER BY seq LIMIT :limit")
                .bind("after", afterSeq).bind("upTo", upToSeq).bind("limit", Math.max(0, limit))
                .map((rs, ctx) -> new Event(rs.getLong("seq"), TaskTable.instant(rs, "at"), rs.getString("type"),
                        rs.getString("subject"), rs.getString("message"),
                        rs.getString("data") == null ? java.util.Map.of() : Json.strings(rs.getString("data"))))
                .list();
    }
}
