package io.polyvisor.balance;

import java.util.List;

/**
 * What the balancer proposes: moves in the order they should start, hosts that can be powered down
 * once the moves are done, the imbalance before and after (balance mode; both 0 otherwise), and notes
 * on what it wanted to do but could not (for example an overload with no host to take the load).
 */
public record Plan(BalanceMode mode, List<Move> moves, List<String> powerDown, double imbalanceBefore, double imbalanceAfter,
                   List<String> notes) {
    public Plan {
        moves = List.copyOf(moves);
        powerDown = List.copyOf(powerDown);
        notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
        return moves.isEmpty() && powerDown.isEmpty();
    }
}
