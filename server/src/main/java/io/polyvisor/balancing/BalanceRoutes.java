package io.polyvisor.balancing;

import io.polyvisor.api.Body;
import io.polyvisor.api.Route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.balance.Automation;
import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.balance.Plan;

import java.time.Clock;
import java.util.List;
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
                        ctx -> ctx.json(PlanView.of(service.plan(mode(ctx.queryParam("mode")), now()))),
                        "mode:balance or consolidate (default: the configured mode)"),
                Route.post("/api/v1/plans/balance/apply", "Compute the plan now and queue its moves as migrate tasks", 202, "ApplyPlan",
                        "Plan", ctx -> {
                            Body b = Body.parse(mapper, ctx.body().isBlank() ? "{}" : ctx.body(), Set.of("mode"));
                            Plan p = service.plan(mode(b.string("mode")), now());
                            ctx.status(202).json(AppliedPlanView.of(p, service.apply(p.moves())));
                        }),
                Route.get("/api/v1/balance/settings", "Show the balancer's mode and automation level", "BalanceSettings",
                        ctx -> ctx.json(BalanceSettingsView.of(service.settings()))),
                Route.post("/api/v1/balance/settings", "Set the balancer's mode and automation level", 200, "BalanceSettings",
                        "BalanceSettings", ctx -> {
                            Body b = Body.parse(mapper, ctx.body(), Set.of("mode", "automation"));
                            String a = b.string("automation");
                            ctx.json(BalanceSettingsView.of(service.configure(mode(b.string("mode")), a == null ? null : Automation.parse(a))));
                        }),
                Route.get("/api/v1/vms/{ref}/placement", "Explain where the VM would be placed now: every host's scores or exclusion",
                        "PlacementExplanation", ctx -> ctx.json(PlacementExplanation.of(service.explain(ctx.pathParam("ref"))))));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static BalanceMode mode(String s) {
        return s == null || s.isBlank() ? null : BalanceMode.parse(s);
    }

    /** What the balancer optimises and how much of its plans it carries out by itself. */
    record BalanceSettingsView(BalanceMode mode, Automation automation) {
        static BalanceSettingsView of(BalanceSettings s) {
            return new BalanceSettingsView(s.mode(), s.automation());
        }
    }
}
