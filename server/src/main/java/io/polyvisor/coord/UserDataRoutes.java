package io.polyvisor.coord;

import io.javalin.http.Context;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Body;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Nullable;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.coordination.CoordNames;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.object;

/**
 * A VM's user data, as EC2's instance metadata and OneGate give it: text (at most 16 KiB of UTF-8) an operator of the
 * VM's project sets and its guest reads, in {@code GET /v1/self} and raw at {@code GET /v1/self/user-data}. It is read
 * live: a change is seen by the guest's next read, running or not. Viewers of the project read it too. A change is an
 * event that gives its size, never its text (user data often holds credentials).
 */
final class UserDataRoutes {
    static final Payload.Written BODY = new Payload.Written("VmUserData", object(List.of("user_data"), "user_data", STRING), false);
    private static final Payload VIEW = Payload.of(UserDataView.class);

    /**
     * @param userData the text, null when none is set
     * @param bytes    its size in bytes of UTF-8 (0 when none)
     */
    record UserDataView(String vm, @Nullable String userData, int bytes) {
        static UserDataView of(Vm vm, @Nullable String data) {
            return new UserDataView(vm.name(), data, data == null ? 0 : data.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private final Store store;
    private final Journal journal;
    private final Function<String, Vm> findVm;
    private final VmTokens tokens;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    UserDataRoutes(Store store, Journal journal, Function<String, Vm> findVm, VmTokens tokens, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.store = store;
        this.journal = journal;
        this.findVm = findVm;
        this.tokens = tokens;
        this.mapper = mapper;
    }

    List<Route> routes() {
        String path = "/api/v1/vms/{ref}/user-data";
        return List.of(
                Route.get(path, "A VM's user data (what its guest reads at /v1/self)", VIEW, ctx -> {
                    Vm vm = visible(ctx);
                    ctx.json(UserDataView.of(vm, store.userData(vm.id()).orElse(null)));
                }).requires(Permission.READ),
                new Route(io.javalin.http.HandlerType.PUT, path, "Set a VM's user data (at most 16 KiB of UTF-8; its guest sees it at its next read)",
                        200, BODY, VIEW, ctx -> {
                            Vm vm = visible(ctx);
                            String data = CoordNames.userData(Body.parse(mapper, Body.text(ctx), BODY.fields()).requiredString("user_data"));
                            ctx.json(change(vm, data));
                        }, false, Permission.OPERATE),
                new Route(io.javalin.http.HandlerType.DELETE, path, "Remove a VM's user data", 200, null, VIEW,
                        ctx -> ctx.json(change(visible(ctx), null)), false, Permission.OPERATE),
                Route.get("/v1/self/user-data", "The calling VM's user data as text (404 when none is set)",
                        new Payload.Text("text/plain", "the user data, exactly as set"), ctx -> {
                            Vm vm = tokens.callerAsAnswer(ctx);
                            String data = store.userData(vm.id()).orElseThrow(() -> Refusal.notFound("vm " + vm.name() + " has no user data"));
                            ctx.contentType("text/plain; charset=utf-8").result(data);
                        }).unauthenticated());
    }

    /** What {@code GET /v1/self} adds: the calling VM's user data, or null. */
    @Nullable String of(Vm vm) {
        return store.userData(vm.id()).orElse(null);
    }

    private Vm visible(Context ctx) {
        String ref = ctx.pathParam("ref");
        Vm vm = findVm.apply(ref);
        Caller.requireSees(ctx, vm.project(), "vm " + ref);
        return vm;
    }

    private UserDataView change(Vm vm, @Nullable String data) {
        store.inTransaction(tx -> {
            tx.putUserData(vm.id(), data);
            journal.record(tx, CoordEvent.VM_USER_DATA, vm.name(), data == null ? "user data of " + vm.name() + " removed"
                    : "user data of " + vm.name() + " set (" + data.getBytes(StandardCharsets.UTF_8).length + " bytes)");
            return null;
        });
        journal.signal();
        return UserDataView.of(vm, data);
    }
}
