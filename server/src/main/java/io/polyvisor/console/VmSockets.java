package io.polyvisor.console;

import io.javalin.websocket.WsContext;
import io.polyvisor.access.Principal;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Csrf;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.Optional;
import java.util.function.Function;

/**
 * The checks every WebSocket of a VM ({@code /api/v1/vms/{ref}/...}) makes when it opens, as a WebSocket has no method
 * and no CORS to judge it by: same origin (else 1008 {@code cross-site WebSocket refused}), an authenticated caller
 * (else already closed by the API's authentication), a VM the caller may see (else 1008 {@code vm REF not found}, the
 * same for one that exists in another project), and one that runs on a host (else 1008 {@code vm NAME is STATE, not
 * running}). {@code extra} runs between the last two, for the socket's own refusals (null: none).
 */
final class VmSockets {
    private VmSockets() {}

    record Admitted(Principal who, Vm vm) {}

    /** Refusal of a VM's socket by its own rule: a reason to close 1008 with, or null to go on. */
    interface Rule {
        String refusal(Principal who, Vm vm);
    }

    static Optional<Admitted> admit(WsContext ctx, Function<String, Vm> findVm, Rule extra) {
        if (!Csrf.sameOrigin(ctx.header("Origin"), ctx.header("Host"))) {
            ctx.closeSession(1008, "cross-site WebSocket refused");
            return Optional.empty();
        }
        Principal who = Caller.find(ctx).orElse(null);
        if (who == null) return Optional.empty(); // refused and closed by the API's authentication
        String ref = shortText(ctx.pathParam("ref"));
        Vm vm;
        try {
            vm = findVm.apply(ctx.pathParam("ref"));
        } catch (RuntimeException notFound) {
            vm = null;
        }
        if (vm == null || !who.sees(vm.project())) {
            ctx.closeSession(1008, "vm " + ref + " not found");
            return Optional.empty();
        }
        String refused = extra == null ? null : extra.refusal(who, vm);
        if (refused == null && (!(vm.state() instanceof VmState.Running) || vm.host() == null)) {
            refused = "vm " + vm.name() + " is " + vm.state().label() + ", not running";
        }
        if (refused != null) {
            ctx.closeSession(1008, refused);
            return Optional.empty();
        }
        return Optional.of(new Admitted(who, vm));
    }

    /** A WebSocket close reason is at most 123 bytes. */
    static String shortText(String s) {
        String t = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }
}
