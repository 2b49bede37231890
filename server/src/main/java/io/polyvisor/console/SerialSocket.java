package io.polyvisor.console;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.polyvisor.access.Permission;
import io.polyvisor.access.Principal;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Socket;
import io.polyvisor.drivers.Connections;
import io.polyvisor.model.Vm;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /api/v1/vms/{ref}/serial}: a VM's serial console over a WebSocket. The server sends the VM's output as binary
 * messages; a client sends what the user types or pastes as text messages, taken only from callers whose role may
 * operate VMs (others watch: their input is dropped and they are told once, as a text message). Any role that sees
 * the VM's project may watch. The upgrade is authenticated like any request; a browser's request from another origin
 * is closed at once (1008), since a WebSocket is not held back by CORS. Closes: 1008 refused, 1011 the console could
 * not be opened, 1000 the console ended (the VM stopped).
 */
final class SerialSocket {
    private static final String LINE = "polyvisor.serial.line";
    private static final String VM = "polyvisor.serial.vm";

    static final String PROTOCOL = "A WebSocket (GET with Upgrade: websocket), authenticated like every request (bearer token or "
            + "session cookie). The server sends the VM's serial output as binary messages, first what it printed lately, "
            + "and JSON text messages with a notice ({\"notice\": ...}); the client sends what is typed or pasted as text "
            + "(operators and admins; a viewer's input is dropped with a notice). Several viewers share one console. Closed "
            + "1008 with the reason for a missing or wrong credential, another site's Origin, an unknown VM or one that does "
            + "not run; 1000 when the VM's console ends.";
    private final Function<String, Vm> findVm;
    private final Connections conns;
    private final SerialLines lines;

    SerialSocket(Function<String, Vm> findVm, Connections conns, SerialLines lines) {
        this.findVm = findVm;
        this.conns = conns;
        this.lines = lines;
    }

    Socket socket() {
        return new Socket("/api/v1/vms/{ref}/serial", "A VM's serial console (WebSocket)", PROTOCOL, this::configure);
    }

    private void configure(WsConfig ws) {
        ws.onConnect(ctx -> VmSockets.admit(ctx, findVm, null).ifPresent(in -> {
            Vm vm = in.vm();
            try {
                ctx.attribute(LINE, lines.join(vm.id(), vm.name(), ctx, id -> conns.get(vm.host()).serialConsole().open(id)));
                ctx.attribute(VM, vm.id());
            } catch (RuntimeException e) {
                ctx.closeSession(1011, VmSockets.shortText(e.getMessage()));
            }
        }));
        ws.onMessage(ctx -> {
            SerialLines.Line line = ctx.attribute(LINE);
            if (line == null) return;
            Principal who = Caller.find(ctx).orElse(null);
            if (who == null) return;
            if (!who.allows(Permission.OPERATE)) {
                if (ctx.attribute("polyvisor.serial.told") == null) {
                    ctx.attribute("polyvisor.serial.told", true);
                    ctx.send("{\"notice\":\"" + who.role().label() + "s watch the console: input is not sent\"}");
                }
                return;
            }
            line.type(ctx.message().getBytes(StandardCharsets.UTF_8));
        });
        ws.onClose(ctx -> leave(ctx));
        ws.onError(ctx -> leave(ctx));
    }

    private void leave(WsContext ctx) {
        UUID id = ctx.attribute(VM);
        if (id != null) lines.leave(id, ctx);
    }
}
