package io.polyvisor.groups;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.lifecycle.VmRequests;

import java.nio.file.Path;
import java.util.List;

/**
 * Elastic groups (docs/GROUPS.md): members are ordinary VMs created and deleted through the lifecycle's requests
 * (so through the one task queue), each group behind its own HAProxy that the server starts and supervises.
 */
public final class GroupsFeature implements Feature {
    private final Platform p;
    private final GroupController controller;
    private final GroupRequests requests;

    public GroupsFeature(Platform p, VmRequests vms, Path dataDir, GroupTiming timing) {
        this.p = p;
        var balancers = new Balancers(dataDir, timing);
        this.controller = new GroupController(p.store(), p.journal(), vms, p.usage(), balancers, p.clock(), timing);
        this.requests = new GroupRequests(p.store(), p.journal(), balancers, controller, p.clock());
    }

    @Override
    public String name() {
        return "groups";
    }

    @Override
    public List<Route> routes() {
        return new GroupRoutes(requests, p.mapper()).routes();
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.of(controller::start, controller::close));
    }
}
