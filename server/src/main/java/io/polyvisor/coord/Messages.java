package io.polyvisor.coord;

import io.polyvisor.coordination.CoordGroup;
import io.polyvisor.coordination.Message;
import io.polyvisor.store.Store;

import java.time.Clock;
import java.util.List;

/**
 * Messages between a group's members, per topic: publish appends under the group's lock (so seqs of a topic are
 * 1, 2, 3, ... with no gap or repeat, even across servers sharing the database); subscribe is a long poll after a
 * seq. A topic keeps its newest {@link #KEEP} messages: a subscriber that fell further behind sees the seqs jump, and
 * {@code first_seq} in every answer tells it where the topic now starts.
 */
final class Messages {
    static final int KEEP = 1_000;
    static final int MAX_BATCH = 100;

    private final Store store;
    private final Coordination coord;
    private final Changes changes;
    private final Clock clock;

    private final int keep;

    Messages(Store store, Coordination coord, Clock clock) {
        this(store, coord, clock, KEEP);
    }

    /** With a topic keeping its newest {@code keep} messages (tests). */
    Messages(Store store, Coordination coord, Clock clock, int keep) {
        this.keep = keep;
        this.store = store;
        this.coord = coord;
        this.changes = coord.changes();
        this.clock = clock;
    }

    CoordViews.MessageView publish(CoordGroup group, String topic, String sender, String body) {
        var at = clock.instant();
        long seq = coord.serialized(group.key(), tx -> {
            tx.lockCoordGroup(group.key(), 0);
            return tx.appendCoordMessage(group.key(), topic, sender, body, at, keep);
        });
        changes.signal();
        return new CoordViews.MessageView(seq, sender, body, at);
    }

    /** Messages after {@code after}; with {@code waitS}, waits up to that long for the first one. */
    CoordViews.MessagesView subscribe(CoordGroup group, String topic, long after, int waitS, int limit) throws InterruptedException {
        long deadline = System.nanoTime() + Changes.nanos(waitS);
        while (true) {
            long seen = changes.version();
            List<Message> page = store.coordMessages(group.key(), topic, after, Math.min(limit, MAX_BATCH));
            long left = deadline - System.nanoTime();
            if (!page.isEmpty() || left <= 0) {
                long last = page.isEmpty() ? store.lastCoordMessage(group.key(), topic) : page.getLast().seq();
                long first = Math.max(1, store.lastCoordMessage(group.key(), topic) - keep + 1);
                return new CoordViews.MessagesView(group.name(), group.project(), topic, first, last,
                        page.stream().map(m -> new CoordViews.MessageView(m.seq(), m.sender(), m.body(), m.at())).toList());
            }
            changes.awaitAfter(seen, left);
        }
    }
}
