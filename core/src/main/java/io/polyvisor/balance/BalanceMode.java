package io.polyvisor.balance;

import io.polyvisor.model.InvalidInput;

import java.util.Locale;

/** What the balancer optimises. */
public enum BalanceMode {
    /** Spread measured CPU and memory usage evenly over hosts (DRS-style load balancing). */
    BALANCE,
    /** Pack VMs onto as few, as efficient hosts as their measured usage allows and power the idle ones down. */
    CONSOLIDATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BalanceMode parse(String s) {
        for (BalanceMode m : values()) if (m.label().equals(s)) return m;
        throw new InvalidInput("balance mode must be balance or consolidate, got '" + s + "'");
    }
}
