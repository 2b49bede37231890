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

    /**
     * Records a member's sample of the metric its group tracks ({@code metric:NAME=V}); refuses a group that does not
     * exist or track that metric (404, 409) and a VM that is not its member (404).
     */
    public void pushMetric(String group, String member, String metric, double value) {
        requests.push(group, member, metric, value);
    }

    @Override
    public String name() {
        return "groups";
    }

    @Override
    public List<Route> routes() {
        return new GroupRoutes(requests, p.mapper(), new io.polyvisor.api.Owners(p.store())).routes();
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.of(controller::start, controller::close));
    }
}
