package io.polyvisor.lifecycle;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.VmFacets;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** VMs and tasks: the API's VM and task routes, and the task executor (the lifecycle controller). */
public final class LifecycleFeature implements Feature {
    private final Platform p;
    private final LifecycleController executor;
    private final VmRequests requests;
    private final VmFacets facets;

    /**
     * @param placer the placer of each create, built just before it places (with whatever admission control other
     *               features add; a Placer itself is pure and reads nothing)
     */
    public LifecycleFeature(Platform p, LifecycleController executor, VmUpdates vms, Supplier<Placer> placer,
                            Supplier<ClusterSnapshot> snapshot, VmFacets facets) {
        this(p, executor, vms, placer, snapshot, facets, VmDisks.NONE);
    }

    /** @param disks what creates with disks ask of the storage feature */
    public LifecycleFeature(Platform p, LifecycleController executor, VmUpdates vms, Supplier<Placer> placer,
                            Supplier<ClusterSnapshot> snapshot, VmFacets facets, VmDisks disks) {
        this.p = p;
        this.executor = executor;
        this.facets = facets;
        this.requests = new VmRequests(p.store(), placer, snapshot, vms, p.journal(), p.conns(), p.tasks(), disks);
    }

    public VmRequests requests() {
        return requests;
    }

    @Override
    public String name() {
        return "lifecycle";
    }

    @Override
    public List<Route> routes() {
        var routes = new ArrayList<>(new VmRoutes(p.store(), requests, p.usage(), p.mapper(), facets).routes());
        routes.addAll(new TaskRoutes(p.store(), requests).routes());
        return routes;
    }

    @Override
    public List<Controller> controllers() {
        return List.of(new Controller() {
            @Override
            public void start() {
                executor.start();
            }

            @Override
            public void close() {
                executor.close();
            }

            @Override
            public void halt() {
                executor.halt();
            }
        });
    }
}
