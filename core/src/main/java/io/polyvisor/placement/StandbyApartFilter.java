package io.polyvisor.placement;

/**
 * A VM and its hot standby never share a host: a host that runs (or is receiving) one instance of a standby
 * pair is excluded for the other. The pair is read from the label {@link PlacementRules#STANDBY_OF} that a
 * standby carries; see {@link ClusterView#pairPartnerOn}. Every path that chooses a host goes through the
 * filters (create, HA restart, standby build, balancer moves, evacuation, manual migration), so this one
 * class is the rule for all of them.
 */
final class StandbyApartFilter implements HostFilter {
    static final String NAME = "standby-apart";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView view, int host, Demand d) {
        return view.pairPartnerOn(d.vm(), host) == null;
    }

    @Override
    public String reason(ClusterView view, int host, Demand d) {
        ClusterView.PairMember partner = view.pairPartnerOn(d.vm(), host);
        String on = "host " + view.host(host).name() + " runs ";
        String why = on + (partner.standby() ? partner.name() + ", the standby of " + d.vm().name()
                : partner.name() + ", whose standby is " + d.vm().name());
        return why + "; a VM and its standby never share a host";
    }
}
