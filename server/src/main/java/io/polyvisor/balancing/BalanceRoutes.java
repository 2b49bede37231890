package io.polyvisor.balancing;

import io.polyvisor.api.Body;
import io.polyvisor.api.Route;
import io.polyvisor.api.Views;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.balance.Automation;
import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.balance.Move;
import io.polyvisor.balance.Plan;
import io.polyvisor.balancing.BalancingService;
import io.polyvisor.placement.Explanation;
import io.polyvisor.placement.Placement;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** /api/v1/plans/balance (preview, apply), /api/v1/balance/settings and /api/v1/vms/{ref}/placement (explain). */
final class BalanceRoutes {
    private final BalancingService service;
    private final ObjectMapper mapper;
    private final Clock clock;

    BalanceRoutes(BalancingService service, ObjectMapper mapper, Clock clock) {
        this.service = service;
        this.mapper = mapper;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/v1/plans/balance", "Preview the balancer's plan: moves with reasons, hosts to power down", "Plan",
                        ctx -> ctx.json(view(service.plan(mode(ctx.queryParam("mode")), now()), null)),
                        "mode:balance or consolidate (default: the configured mode)"),
                Route.post("/api/v1/plans/balance/apply", "Compute the plan now and queue its moves as migrate tasks", 202, "ApplyPlan",
                        "Plan", ctx -> {
                            Body b = Body.parse(mapper, ctx.body().isBlank() ? "{}" : ctx.body(), Set.of("mode"));
                            Plan p = service.plan(mode(b.string("mode")), now());
                            ctx.status(202).json(view(p, service.apply(p.moves())));
                        }),
                Route.get("/api/v1/balance/settings", "Show the balancer's mode and automation level", "BalanceSettings",
                        ctx -> ctx.json(view(service.settings()))),
                Route.post("/api/v1/balance/settings", "Set the balancer's mode and automation level", 200, "BalanceSettings",
                        "BalanceSettings", ctx -> {
                            Body b = Body.parse(mapper, ctx.body(), Set.of("mode", "automation"));
                            String a = b.string("automation");
                            ctx.json(view(service.configure(mode(b.string("mode")), a == null ? null : Automation.parse(a))));
                        }),
                Route.get("/api/v1/vms/{ref}/placement", "Explain where the VM would be placed now: every host's scores or exclusion",
                        "PlacementExplanation", ctx -> ctx.json(view(service.explain(ctx.pathParam("ref"))))));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static BalanceMode mode(String s) {
        return s == null || s.isBlank() ? null : BalanceMode.parse(s);
    }

    static Map<String, Object> view(BalanceSettings s) {
        return Map.of("mode", s.mode().label(), "automation", s.automation().label());
    }

    static Map<String, Object> view(Plan p, List<BalancingService.Applied> applied) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", p.mode().label());
        m.put("imbalance_before", p.imbalanceBefore());
        m.put("imbalance_after", p.imbalanceAfter());
        m.put("moves", p.moves().stream().map(mv -> {
            Map<String, Object> v = move(mv);
            if (applied != null) {
                applied.stream().filter(a -> a.move() == mv).findFirst().ifPresent(a -> {
                    v.put("task", a.task() == null ? null : a.task().id().toString());
                    v.put("refused", a.refused());
                });
            }
            return v;
        }).toList());
        m.put("power_down", p.powerDown());
        m.put("notes", p.notes());
        return m;
    }

    private static Map<String, Object> move(Move mv) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("vm", mv.vmName());
        v.put("vm_id", mv.vm().toString());
        v.put("from", mv.from());
        v.put("to", mv.to());
        v.put("kind", mv.kind().name().toLowerCase(java.util.Locale.ROOT));
        v.put("reason", mv.reason());
        v.put("cost_seconds", mv.costSeconds());
        return v;
    }

    static Map<String, Object> view(Explanation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm", e.vm());
        Map<String, Object> d = new LinkedHashMap<>();
        switch (e.decision()) {
            case Placement.Placed p -> d.put("host", p.host());
            case Placement.Rejected r -> {
                d.put("host", null);
                d.put("reason", r.reason());
                d.put("excluded_by", r.excludedBy());
            }
        }
        m.put("decision", d);
        m.put("hosts", e.hosts().stream().map(h -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("host", h.host());
            v.put("excluded_by", h.excludedBy());
            v.put("reason", h.reason());
            v.put("score", h.score());
            v.put("scores", h.byScorer());
            return v;
        }).toList());
        return m;
    }
}
