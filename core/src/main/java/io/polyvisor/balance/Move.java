package io.polyvisor.balance;

import java.util.UUID;

/**
 * One live migration of a plan, with the reason a user reads in {@code polyvisor plan balance}.
 *
 * @param costSeconds estimated migration time: memory / (bandwidth - dirty rate)
 */
public record Move(UUID vm, String vmName, String from, String to, Kind kind, String reason, double costSeconds) {

    public enum Kind {
        /** Relieves a host above the high watermark. */
        OVERLOAD(true),
        /** Empties a host entering maintenance. */
        EVACUATE(true),
        /** Lowers the imbalance of measured load (balance mode). */
        IMBALANCE(false),
        /** Empties a lightly used host so it can be powered down (consolidate mode). */
        CONSOLIDATE(false);

        private final boolean mandatory;

        Kind(boolean mandatory) {
            this.mandatory = mandatory;
        }

        /** Whether the move has a hard reason (partial automation carries these out). */
        public boolean mandatory() {
            return mandatory;
        }
    }
}
