package io.polyvisor.balancing;

import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.balance.Automation;
import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.balance.Plan;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.label;
import static io.polyvisor.api.WrittenSchema.object;

/** /api/v1/plans/balance (preview, apply), /api/v1/balance/settings and /api/v1/vms/{ref}/placement (explain). */
final class BalanceRoutes {
    /** What apply reads: nothing, or the mode to plan for. */
    static final Payload.Written APPLY_PLAN = new Payload.Written("ApplyPlan", object(List.of(), "mode", label(BalanceMode.class)), true);
    /** What the settings route reads: either field, or both. */
    static final Payload.Written SETTINGS_CHANGE = new Payload.Written("BalanceSettingsChange",
            object(List.of(), "mode", label(BalanceMode.class), "automation", label(Automation.class)), false);
    private static final Payload SETTINGS = Payload.of(BalanceSettingsView.class);

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
                Route.get("/api/v1/plans/balance", "Preview the balancer's plan: moves with reasons, hosts to power down", Payload.of(PlanView.class),
                        ctx -> ctx.json(PlanView.of(service.plan(mode(ctx.queryParam("mode")), now()))),
                        "mode:balance or consolidate (default: the configured mode)"),
                Route.post("/api/v1/plans/balance/apply", "Compute the plan now and queue its moves as migrate tasks", 202, APPLY_PLAN,
                        Payload.of(AppliedPlanView.class), ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), APPLY_PLAN.fields());
                            Plan p = service.plan(mode(b.string("mode")), now());
                            ctx.status(202).json(AppliedPlanView.of(p, service.apply(p.moves())));
                        }),
                Route.get("/api/v1/balance/settings", "Show the balancer's mode and automation level", SETTINGS,
                        ctx -> ctx.json(BalanceSettingsView.of(service.settings()))),
                Route.post("/api/v1/balance/settings", "Set the balancer's mode and automation level", 200, SETTINGS_CHANGE, SETTINGS,
                        ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), SETTINGS_CHANGE.fields());
                            String a = b.string("automation");
                            ctx.json(BalanceSettingsView.of(service.configure(mode(b.string("mode")), a == null ? null : Automation.parse(a))));
                        }),
                Route.get("/api/v1/vms/{ref}/placement", "Explain where the VM would be placed now: every host's scores or exclusion",
                        Payload.of(PlacementExplanation.class), ctx -> ctx.json(PlacementExplanation.of(service.explain(ctx.pathParam("ref"))))));
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
