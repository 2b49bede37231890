package io.polyvisor.linearizability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker against a compare-and-set register per key, on histories whose answer is known. */
class CheckerTest {
    /** read: output the value; write: output null; cas(expect, value): output true/false; "?" output: unknown. */
    record Op(String key, String kind, int expect, int value) {}

    static final class Registers implements Model<Integer, Op, Object> {
        @Override
        public Integer init() {
            return 0;
        }

        @Override
        public Optional<Integer> step(Integer state, Op in, Object out) {
            boolean unknown = "?".equals(out);
            return switch (in.kind()) {
                case "read" -> unknown || Integer.valueOf(state).equals(out) ? Optional.of(state) : Optional.empty();
                case "write" -> Optional.of(in.value());
                case "cas" -> {
                    boolean matches = state == in.expect();
                    if (unknown) yield Optional.of(matches ? in.value() : state);
                    yield matches == (Boolean) out ? Optional.of(matches ? in.value() : state) : Optional.empty();
                }
                default -> throw new IllegalArgumentException(in.kind());
            };
        }

        @Override
        public Object partition(Op in) {
            return in.key();
        }
    }

    static Operation<Op, Object> op(int client, long call, long ret, String kind, int expect, int value, Object out) {
        return new Operation<>(client, new Op("x", kind, expect, value), call, out, ret);
    }

    static Verdict check(List<Operation<Op, Object>> h) {
        return Checker.check(new Registers(), h, Duration.ofSeconds(10));
    }

    @Test
    void acceptsOverlappingOperationsInSomeOrder() {
        // write 1 overlaps a read that saw 1 and a read that saw 0: read0, write, read1
        var h = List.of(op(0, 0, 10, "write", 0, 1, null), op(1, 1, 3, "read", 0, 0, 0), op(2, 2, 11, "read", 0, 0, 1));
        assertThat(check(h)).isInstanceOf(Verdict.Linearizable.class);
    }

    @Test
    void rejectsAStaleReadAfterTheWriteReturned() {
        var h = List.of(op(0, 0, 10, "write", 0, 1, null), op(1, 11, 12, "read", 0, 0, 0));
        assertThat(check(h)).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void rejectsTwoCompareAndSetsThatBothSucceededFromTheSameValue() {
        // a lost update: both swapped 0, so one of them must have failed
        var h = List.of(op(0, 0, 10, "cas", 0, 1, true), op(1, 1, 9, "cas", 0, 2, true));
        assertThat(check(h)).isInstanceOf(Verdict.NotLinearizable.class);
        // one of them failing is fine, whichever
        assertThat(check(List.of(op(0, 0, 10, "cas", 0, 1, true), op(1, 1, 9, "cas", 0, 2, false)))).isInstanceOf(Verdict.Linearizable.class);
        assertThat(check(List.of(op(0, 0, 10, "cas", 0, 1, false), op(1, 1, 9, "cas", 0, 2, true)))).isInstanceOf(Verdict.Linearizable.class);
    }

    @Test
    void rejectsAReadOfAValueThatAWriteOverwroteBeforeTheReadBegan() {
        // w1 then w2 sequential, then a read sees 1: not linearizable even though every value was written at some point
        var h = List.of(op(0, 0, 1, "write", 0, 1, null), op(0, 2, 3, "write", 0, 2, null), op(1, 4, 5, "read", 0, 0, 1));
        assertThat(check(h)).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void anOperationThatNeverReturnedMayHaveHappenedOrNot() {
        var happened = List.of(op(0, 0, Operation.NEVER, "cas", 0, 5, "?"), op(1, 10, 11, "read", 0, 0, 5));
        var didNot = List.of(op(0, 0, Operation.NEVER, "cas", 0, 5, "?"), op(1, 10, 11, "read", 0, 0, 0));
        assertThat(check(happened)).isInstanceOf(Verdict.Linearizable.class);
        assertThat(check(didNot)).isInstanceOf(Verdict.Linearizable.class);
        // but not before it was called
        var early = List.of(op(1, 0, 1, "read", 0, 0, 5), op(0, 2, Operation.NEVER, "cas", 0, 5, "?"));
        assertThat(check(early)).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void checksEachKeyOnItsOwnAndNamesThePartThatFails() {
        var h = new ArrayList<Operation<Op, Object>>();
        h.add(new Operation<>(0, new Op("a", "write", 0, 1), 0, null, 1));
        h.add(new Operation<>(1, new Op("b", "read", 0, 0), 2, 0, 3));
        h.add(new Operation<>(1, new Op("a", "read", 0, 0), 4, 1, 5));
        assertThat(check(h)).isEqualTo(new Verdict.Linearizable(3, 2));
        h.add(new Operation<>(2, new Op("b", "read", 0, 0), 6, 7, 7)); // b was never written 7
        var v = check(h);
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(((Verdict.NotLinearizable) v).partition()).isEqualTo("b");
    }

    /** A seeded random history made by a real atomic register is always accepted; one corrupted answer is caught. */
    @Test
    void acceptsRecordedHistoriesOfAnAtomicRegisterAndCatchesACorruptedAnswer() {
        long seed = 42;
        var rnd = new Random(seed);
        for (int round = 0; round < 50; round++) {
            var h = new ArrayList<Operation<Op, Object>>();
            int value = 0;
            long t = 0;
            // ops take effect at a point inside [call, ret]; calls and returns of others interleave around it
            record Pending(int client, Op op, long call, Object out, long at) {}
            var open = new ArrayList<Pending>();
            for (int i = 0; i < 60; i++) {
                int client = rnd.nextInt(5);
                String kind = List.of("read", "write", "cas").get(rnd.nextInt(3));
                var in = new Op("x", kind, rnd.nextInt(3), rnd.nextInt(3));
                Object out = switch (kind) {
                    case "read" -> value;
                    case "write" -> {
                        value = in.value();
                        yield null;
                    }
                    default -> {
                        boolean ok = value == in.expect();
                        if (ok) value = in.value();
                        yield ok;
                    }
                };
                long at = t += 10;
                open.add(new Pending(client, in, at - 1 - rnd.nextInt(30), out, at));
            }
            for (var p : open) h.add(new Operation<>(p.client(), p.op(), p.call(), p.out(), p.at() + 1 + rnd.nextInt(30)));
            assertThat(check(h)).as("seed %d round %d", seed, round).isInstanceOf(Verdict.Linearizable.class);
            // corrupt one read so it reports a value the register never held
            for (int i = 0; i < h.size(); i++) {
                var o = h.get(i);
                if (o.input().kind().equals("read")) {
                    h.set(i, new Operation<>(o.client(), o.input(), o.call(), 9, o.ret()));
                    assertThat(check(h)).as("seed %d round %d", seed, round).isInstanceOf(Verdict.NotLinearizable.class);
                    break;
                }
            }
        }
    }

    @Test
    void saysUnknownWhenTheTimeLimitRunsOut() {
        // many fully concurrent writes and a last read no order can explain: the search must give up in time
        var h = new ArrayList<Operation<Op, Object>>();
        for (int i = 0; i < 40; i++) h.add(op(i, 0, 1000, "write", 0, i, null));
        h.add(op(99, 1001, 1002, "read", 0, 0, 12345));
        assertThat(Checker.check(new Registers(), h, Duration.ofMillis(200))).isInstanceOf(Verdict.Unknown.class);
    }
}
