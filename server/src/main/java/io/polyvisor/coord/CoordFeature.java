package io.polyvisor.coord;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.GuestFacet;
import io.polyvisor.feature.Platform;
import io.polyvisor.model.Vm;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * Guest coordination (docs/COORDINATION.md): per-group key-value store with compare-and-set and watches, leases with
 * fencing tokens revoked as soon as their holder stops, is deleted or its host is fenced, and per-VM tokens for the
 * guest API. A group is the value of a VM's label {@code group} (the label elastic groups give their members).
 */
public final class CoordFeature implements Feature {
    /** The VM label whose value is the VM's coordination group. */
    static final String GROUP_LABEL = io.polyvisor.autoscale.Group.LABEL;

    private final Platform p;
    private final Coordination coord;
    private final VmTokens tokens;
    private final LeaseRevoker revoker;
    private final TombstoneCompactor compactor;
    private final Function<String, Vm> findVm;

    private final CoordGuestData guestData;

    /**
     * @param findVm a VM by name or UUID, or a not-found refusal (the lifecycle's lookup)
     * @param api    the API's URL once it listens (where guests are pointed, see {@link CoordGuestData})
     */
    private final MetricSink metrics;
    private final GuestLimiter limiter;
    private final GuestRateRoutes rates;

    /** ... and {@code metrics}: where guests' metric samples go (the elastic groups). */
    public CoordFeature(Platform p, Function<String, Vm> findVm, Supplier<URI> api, MetricSink metrics) {
        this.metrics = metrics;
        this.p = p;
        this.findVm = findVm;
        this.coord = new Coordination(p.store(), p.journal(), p.clock());
        var settings = new io.polyvisor.settings.SettingsStore(p.store());
        this.limiter = new GuestLimiter(() -> settings.load(GuestRateSettings.KEY));
        this.tokens = new VmTokens(p.store(), p.journal(), limiter);
        this.rates = new GuestRateRoutes(settings, limiter, p.journal(), p.mapper());
        this.revoker = new LeaseRevoker(p.store(), coord, p.clock());
        this.compactor = new TombstoneCompactor(p.store(), coord, TombstoneCompactor.KEEP);
        this.guestData = new CoordGuestData(tokens, api);
    }

    @Override
    public String name() {
        return "coord";
    }

    @Override
    public List<Route> routes() {
        var userData = new UserDataRoutes(p.store(), p.journal(), findVm, tokens, p.mapper());
        var routes = new java.util.ArrayList<>(new CoordRoutes(coord, tokens, findVm, p.mapper(), new Peers(p.store(), p.journal()), metrics,
                new Messages(p.store(), coord, p.clock()), userData::of).routes());
        routes.addAll(userData.routes());
        routes.addAll(rates.routes());
        return routes;
    }

    @Override
    public List<GuestFacet> guestFacets() {
        return List.of(guestData);
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.of(revoker::start, revoker::close), compactor.controller());
    }
}
