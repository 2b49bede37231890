package io.polyvisor.linearizability;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A linearizability checker: Wing and Gong's search with Lowe's memoization ("WGL", as in Knossos and Porcupine),
 * run on each part of the history separately (P-compositionality, Horn and Kroening).
 *
 * <p>The history of one part becomes a doubly linked list of call and return entries in time order. The search walks
 * it: at a call entry it tries to linearize that operation next (the model accepts its output from the current
 * state); if so it takes the call and its return out of the list ("lift"), pushes it on a stack and starts again from
 * the head. At a return entry whose call is still in the list, that operation had to be linearized before anything
 * that follows: the last choice was wrong, so the search pops it, puts it back ("unlift"), restores the state and
 * tries the next call after it. An empty list means every operation is linearized; a return entry with an empty stack
 * means no order works. The cache of (set of linearized operations, state) pairs already explored keeps the search
 * from exploring the same configuration twice (Lowe). An operation that never returned ({@link Operation#NEVER}) can
 * be linearized at any point after its call, including after everything else (as if it never happened).
 *
 * <p>References: J. Wing, C. Gong, "Testing and verifying concurrent objects" (1993); G. Lowe, "Testing for
 * linearizability" (2017); A. Horn, D. Kroening, "Faster linearizability checking via P-compositionality" (2015).
 */
public final class Checker {
    private Checker() {}

    public static <S, I, O> Verdict check(Model<S, I, O> model, List<Operation<I, O>> history, Duration timeLimit) {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        Map<Object, List<Operation<I, O>>> parts = new LinkedHashMap<>();
        for (var op : history) parts.computeIfAbsent(model.partition(op.input()), k -> new ArrayList<>()).add(op);
        for (var part : parts.entrySet()) {
            var ops = part.getValue();
            ops.sort(Comparator.comparingLong(Operation::call));
            Optional<Boolean> ok = new Search<>(model, ops, deadline).run();
            if (ok.isEmpty()) return new Verdict.Unknown("no decision within " + timeLimit + " (part " + part.getKey() + ", " + ops.size() + " operations)");
            if (!ok.get()) return new Verdict.NotLinearizable(part.getKey(), List.copyOf(ops));
        }
        return new Verdict.Linearizable(history.size(), parts.size());
    }

    /** An entry of the list: an operation's call or its return. */
    private static final class Entry {
        final int id;
        final boolean call;
        final long time;
        Entry match, prev, next;

        Entry(int id, boolean call, long time) {
            this.id = id;
            this.call = call;
            this.time = time;
        }
    }

    private record Seen<S>(BitSet linearized, S state) {}

    private record Frame<S>(Entry call, S before) {}

    private static final class Search<S, I, O> {
        private final Model<S, I, O> model;
        private final List<Operation<I, O>> ops;
        private final long deadline;
        private final Entry head = new Entry(-1, false, Long.MIN_VALUE);

        Search(Model<S, I, O> model, List<Operation<I, O>> ops, long deadline) {
            this.model = model;
            this.ops = ops;
            this.deadline = deadline;
            List<Entry> entries = new ArrayList<>(2 * ops.size());
            for (int i = 0; i < ops.size(); i++) {
                var c = new Entry(i, true, ops.get(i).call());
                var r = new Entry(i, false, ops.get(i).ret());
                c.match = r;
                r.match = c;
                entries.add(c);
                entries.add(r);
            }
            // on equal times calls go first: the two operations then count as concurrent (the weaker claim)
            entries.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
            Entry last = head;
            for (Entry e : entries) {
                last.next = e;
                e.prev = last;
                last = e;
            }
        }

        /** True: linearizable; false: not; empty: out of time. */
        Optional<Boolean> run() {
            S state = model.init();
            BitSet linearized = new BitSet(ops.size());
            Set<Seen<S>> cache = new HashSet<>();
            ArrayDeque<Frame<S>> stack = new ArrayDeque<>();
            Entry entry = head.next;
            long steps = 0;
            while (head.next != null) {
                if ((++steps & 1023) == 0 && System.nanoTime() > deadline) return Optional.empty();
                if (entry.call) {
                    var op = ops.get(entry.id);
                    Optional<S> after = model.step(state, op.input(), op.output());
                    if (after.isPresent()) {
                        BitSet with = (BitSet) linearized.clone();
                        with.set(entry.id);
                        if (cache.add(new Seen<>(with, after.get()))) {
                            stack.push(new Frame<>(entry, state));
                            state = after.get();
                            linearized = with;
                            lift(entry);
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    if (stack.isEmpty()) return Optional.of(false);
                    Frame<S> top = stack.pop();
                    state = top.before();
                    linearized = (BitSet) linearized.clone();
                    linearized.clear(top.call().id);
                    unlift(top.call());
                    entry = top.call().next;
                }
            }
            return Optional.of(true);
        }

        private static void lift(Entry call) {
            call.prev.next = call.next;
            if (call.next != null) call.next.prev = call.prev;
            Entry ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) ret.next.prev = ret.prev;
        }

        private static void unlift(Entry call) {
            Entry ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) ret.next.prev = ret;
            call.prev.next = call;
            if (call.next != null) call.next.prev = call;
        }
    }
}
