package io.polyvisor.identity;

import io.polyvisor.access.Role;
import io.polyvisor.api.Payload;
import io.polyvisor.api.QueryParams;
import io.polyvisor.api.Route;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.VmFacet;
import io.polyvisor.model.InvalidInput;

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
                    String newest = ctx.queryParam("newest");
                    InvalidInput.require(newest == null || newest.equals("true") || newest.equals("false"),
                            "newest must be true or false, got '" + io.polyvisor.model.Strings.printable(newest) + "'");
                    InvalidInput.require(!"true".equals(newest) || ctx.queryParam("after") == null, "newest and after cannot be combined");
                    var entries = "true".equals(newest) ? p.store().auditNewest(actor, limit) : p.store().audit(after, actor, limit);
                    ctx.json(entries.stream().map(IdentityViews::audit).toList());
                }, "after:only entries with a larger seq", "actor:only this actor's requests",
                "limit:at most this many (1-1000, default 100)", "newest:true: the newest LIMIT entries (still oldest first)"));
        return r;
    }

    @Override
    public List<VmFacet> vmFacets() {
        return List.of(new VmFacet("project", String.class, io.polyvisor.model.Vm::project));
    }
}
