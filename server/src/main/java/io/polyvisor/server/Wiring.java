package io.polyvisor.server;

import io.polyvisor.lifecycle.StepHook;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Placer;
import io.polyvisor.placement.Scheduler;
import io.polyvisor.spi.DriverRegistry;

/**
 * The replaceable parts of a server. {@link #defaults()} is what {@code polyvisor server} runs; other
 * features swap a part in (the scheduler its {@link Placer}) and tests inject faults ({@link StepHook}).
 */
public record Wiring(Placer placer, DriverRegistry drivers, StepHook stepHook) {
    public Wiring {
        placer = placer == null ? new Scheduler(PlacementSettings.DEFAULTS) : placer;
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
