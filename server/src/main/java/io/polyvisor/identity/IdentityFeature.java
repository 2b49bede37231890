package io.polyvisor.identity;

import io.polyvisor.access.Role;
import io.polyvisor.api.Payload;
import io.polyvisor.api.QueryParams;
import io.polyvisor.api.Route;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.VmFacet;

import java.util.ArrayList;
import java.util.List;

/**
 * Users, roles, projects, quotas and the audit journal (docs/SECURITY.md). Who a request is comes from
 * {@code api.Credentials} and {@code api.Sessions}; what each role may call is each route's permission
 * ({@link Role#allows}); quotas are checked by the VM create path in the transaction that inserts the VM.
 * This feature serves the admin routes that manage them and adds {@code project} to every VM's JSON.
 */
public final class IdentityFeature implements Feature {
    private final Platform p;

    public IdentityFeature(Platform p) {
        this.p = p;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public List<Route> routes() {
        List<Route> r = new ArrayList<>(new UserRoutes(p.store(), p.journal(), p.mapper(), p.clock()).routes());
        r.addAll(new ProjectRoutes(p.store(), p.journal(), p.mapper()).routes());
        r.add(Route.get("/api/v1/audit", "The audit journal: every state-changing request, its actor and status, oldest first",
                Payload.listOf(IdentityViews.AuditEntryView.class), ctx -> {
                    long after = QueryParams.number(ctx, "after", 0, 0, Long.MAX_VALUE);
                    int limit = (int) QueryParams.number(ctx, "limit", 100, 1, 1000);
                    String actor = ctx.queryParam("actor");
                    ctx.json(p.store().audit(after, actor, limit).stream().map(IdentityViews::audit).toList());
                }, "after:only entries with a larger seq", "actor:only this actor's requests",
                "limit:at most this many (1-1000, default 100)"));
        return r;
    }

    @Override
    public List<VmFacet> vmFacets() {
        return List.of(new VmFacet("project", String.class, io.polyvisor.model.Vm::project));
    }
}
