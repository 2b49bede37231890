package io.polyvisor.balancing;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementSettings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** Load balancing and maintenance evacuation by live migration: plan preview/apply routes and the controller. */
public final class BalancingFeature implements Feature {
    private final Platform p;
    private final BalancingService service;
    private final BalanceController controller;

    public BalancingFeature(Platform p, Supplier<ClusterSnapshot> snapshot, Supplier<Map<UUID, Long>> dirtyRates,
                            VmRequests vms, PlacementSettings placement, Duration interval) {
        this.p = p;
        this.service = new BalancingService(p.store(), snapshot, dirtyRates, vms, p.journal(), placement);
        this.controller = new BalanceController(service, p.store(), p.journal(), p.clock(), interval);
    }

    @Override
    public String name() {
        return "balancing";
    }

    @Override
    public List<Route> routes() {
        return new BalanceRoutes(service, p.mapper(), p.clock()).routes();
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.of(controller::start, controller::close));
    }
}
