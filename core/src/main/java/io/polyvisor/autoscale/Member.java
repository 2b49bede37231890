package io.polyvisor.autoscale;

/**
 * One member of a group as the policy sees it. Every member counts against the group's max, whatever its
 * state (warm and preparing ones included), until its VM is gone: that is what keeps failed starts from
 * multiplying (CloudStack #14185).
 */
public record Member(String name, State state) {
    public enum State {
        /** created, not yet running or not yet passing its health check: not in rotation */
        STARTING,
        /** running and in the balancer's rotation */
        READY,
        /** leaving: drained, then deleted */
        DRAINING,
        /** its VM failed (start failed, crashed, or never answered): to be removed and replaced */
        FAILED,
        /** being built for the warm pool (created, booting, not yet suspended): not in rotation, cannot be resumed yet */
        PREPARING,
        /** in the warm pool: built, booted, then suspended; resumed to scale out, then joins rotation like a new member */
        WARM;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Member {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(state, "state");
    }
}
