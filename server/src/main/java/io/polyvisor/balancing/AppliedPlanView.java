package io.polyvisor.balancing;

import io.polyvisor.api.Nullable;
import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.Move;
import io.polyvisor.balance.Plan;

import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/plans/balance/apply}: the plan as {@link PlanView} shows it, each move with what applying it
 * did: exactly one of {@code task} (the migrate task queued) and {@code refused} (why not) is set.
 */
record AppliedPlanView(BalanceMode mode, double imbalanceBefore, double imbalanceAfter, List<AppliedMove> moves,
                       List<String> powerDown, List<String> notes) {

    record AppliedMove(String vm, UUID vmId, String from, String to, Move.Kind kind, String reason, double costSeconds,
                       @Nullable UUID task, @Nullable String refused) {}

    /** {@code applied} has one entry per move of {@code p}, in the same order. */
    static AppliedPlanView of(Plan p, List<BalancingService.Applied> applied) {
        List<AppliedMove> moves = applied.stream().map(a -> {
            Move m = a.move();
            return new AppliedMove(m.vmName(), m.vm(), m.from(), m.to(), m.kind(), m.reason(), m.costSeconds(),
                    a.task() == null ? null : a.task().id(), a.refused());
        }).toList();
        return new AppliedPlanView(p.mode(), p.imbalanceBefore(), p.imbalanceAfter(), moves, p.powerDown(), p.notes());
    }
}
