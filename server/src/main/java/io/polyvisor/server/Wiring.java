package io.polyvisor.server;

import io.polyvisor.lifecycle.StepHook;
import io.polyvisor.placement.Placer;
import io.polyvisor.spi.DriverRegistry;

/**
 * The replaceable parts of a server. {@link #defaults()} is what {@code polyvisor server} runs; other
 * features swap a part in (the scheduler its {@link Placer}) and tests inject faults ({@link StepHook}).
 *
 * @param placer where new VMs go; null for the {@link io.polyvisor.placement.Scheduler} with the stored
 *               placement settings (the composition root reads them once the store is open)
 */
public record Wiring(Placer placer, DriverRegistry drivers, StepHook stepHook) {
    public Wiring {
        drivers = drivers == null ? DriverRegistry.load() : drivers;
        stepHook = stepHook == null ? StepHook.NONE : stepHook;
    }

    public static Wiring defaults() {
        return new Wiring(null, null, null);
    }

    public Wiring withPlacer(Placer p) {
        return new Wiring(p, drivers, stepHook);
    }

    public Wiring withStepHook(StepHook h) {
        return new Wiring(placer, drivers, h);
    }
}
