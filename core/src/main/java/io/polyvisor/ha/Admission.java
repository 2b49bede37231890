package io.polyvisor.ha;

import java.util.List;

/** The answer of {@link AdmissionControl}: admitted, or a rejection a user can read. */
public sealed interface Admission {
    /** {@code reserved} is the capacity the worst failure scenario needs for restarts (what is held back). */
    record Admitted(Reserve reserved) implements Admission {}

    /**
     * Admitting would leave protected VMs without room if {@code failedHosts} failed together.
     * {@code reason} names the scenario and the VMs that would not fit.
     */
    record Rejected(String reason, List<String> failedHosts, List<String> unplaced) implements Admission {
        public Rejected {
            failedHosts = List.copyOf(failedHosts);
            unplaced = List.copyOf(unplaced);
        }
    }

    /** Capacity held back for restarts: the largest need among the failure scenarios checked. */
    record Reserve(int cpus, long memoryBytes, List<String> worstCase) {
        public static final Reserve NONE = new Reserve(0, 0, List.of());

        public Reserve {
            worstCase = List.copyOf(worstCase);
        }
    }
}
