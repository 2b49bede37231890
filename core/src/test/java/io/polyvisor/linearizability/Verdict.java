package io.polyvisor.linearizability;

import java.util.List;

/** What {@link Checker#check} found. */
public sealed interface Verdict {
    /** Every part's history has a linearization. */
    record Linearizable(int operations, int partitions) implements Verdict {}

    /** This part's history has none; {@code operations} is that part's whole sub-history, in call order. */
    record NotLinearizable(Object partition, List<? extends Operation<?, ?>> operations) implements Verdict {}

    /** The search ran out of time before it could decide. */
    record Unknown(String reason) implements Verdict {}
}
