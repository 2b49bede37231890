package io.polyvisor.balancing;

import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.Move;
import io.polyvisor.balance.Plan;

import java.util.List;
import java.util.UUID;

/** {@code GET /api/v1/plans/balance}: the balancer's plan as a preview; nothing is carried out. */
record PlanView(BalanceMode mode, double imbalanceBefore, double imbalanceAfter, List<PlannedMove> moves,
                List<String> powerDown, List<String> notes) {

    /** @param costSeconds estimated migration time */
    record PlannedMove(String vm, UUID vmId, String from, String to, Move.Kind kind, String reason, double costSeconds) {
        static PlannedMove of(Move m) {
            return new PlannedMove(m.vmName(), m.vm(), m.from(), m.to(), m.kind(), m.reason(), m.costSeconds());
        }
    }

    static PlanView of(Plan p) {
        return new PlanView(p.mode(), p.imbalanceBefore(), p.imbalanceAfter(), p.moves().stream().map(PlannedMove::of).toList(),
                p.powerDown(), p.notes());
    }
}
