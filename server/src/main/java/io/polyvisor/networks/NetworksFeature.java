package io.polyvisor.networks;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.VmFacet;

import java.time.Duration;
import java.util.List;

/**
 * Private networks (docs/NETWORKS.md): the network routes, the NICs of every VM in its view ({@code nics}), and the
 * sync loop that makes hosts carry the networks.
 */
public final class NetworksFeature implements Feature {
    private final Platform p;
    private final NetworkRequests requests;
    private final NetworkSync sync;
    private final Duration interval;

    private final SecgroupRequests secgroups;
    private final NicRequests nics;

    /** @param vms the VM with a name or UUID, or a not-found refusal */
    public NetworksFeature(Platform p, NetworkSync sync, Duration interval, java.util.function.Function<String, io.polyvisor.model.Vm> vms,
                           io.polyvisor.lifecycle.VmUpdates updates, io.polyvisor.lifecycle.VmNetworking networking) {
        this.p = p;
        this.nics = new NicRequests(p.store(), p.journal(), vms, updates, networking, p.conns());
        this.secgroups = new SecgroupRequests(p.store(), p.journal(), vms);
        this.sync = sync;
        this.interval = interval;
        this.requests = new NetworkRequests(p.store(), p.journal());
    }

    @Override
    public String name() {
        return "networks";
    }

    @Override
    public List<Route> routes() {
        var routes = new java.util.ArrayList<>(new NetworkRoutes(requests, p.mapper(), new io.polyvisor.api.Owners(p.store())).routes());
        routes.addAll(new SecgroupRoutes(secgroups, p.mapper()).routes());
        routes.addAll(new NicRoutes(nics, p.mapper()).routes());
        return routes;
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.every("network-sync", interval, sync::round));
    }

    @Override
    public List<VmFacet> vmFacets() {
        return List.of(new VmFacet("nics", NetworkView.NicView[].class,
                vm -> vm.spec().nics().stream().map(n -> new NetworkView.NicView(n.network(), n.mac(), n.ip())).toList()));
    }
}
