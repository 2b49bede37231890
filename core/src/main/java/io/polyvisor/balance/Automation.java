package io.polyvisor.balance;

import io.polyvisor.model.InvalidInput;

import java.util.Locale;

/** How much of a plan the balancer controller carries out by itself. */
public enum Automation {
    /** Plans are only shown ({@code polyvisor plan balance}); a user applies them with {@code --apply}. */
    MANUAL,
    /** The controller carries out moves with a hard reason (overload, maintenance); optimisation moves are only shown. */
    PARTIAL,
    /** The controller carries out every move of every plan. */
    FULL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the controller may execute {@code move} by itself at this level. */
    public boolean executes(Move move) {
        return switch (this) {
            case MANUAL -> false;
            case PARTIAL -> move.kind().mandatory();
            case FULL -> true;
        };
    }

    public static Automation parse(String s) {
        for (Automation a : values()) if (a.label().equals(s)) return a;
        throw new InvalidInput("automation must be manual, partial or full, got '" + s + "'");
    }
}
