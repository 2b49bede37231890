package io.polyvisor.ha;

import java.util.List;

/** The ordered actions of one recovery decision. Empty when the cluster needs nothing. */
public record RecoveryPlan(List<RecoveryAction> actions) {
    public RecoveryPlan {
        actions = List.copyOf(actions);
    }

    public <T extends RecoveryAction> List<T> only(Class<T> kind) {
        return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
