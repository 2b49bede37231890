package io.polyvisor.console;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.polyvisor.access.Permission;
import io.polyvisor.access.Principal;
import io.polyvisor.api.Socket;
import io.polyvisor.drivers.Connections;
import io.polyvisor.model.Display;
import io.polyvisor.model.Vm;
import io.polyvisor.spi.SerialConsole.ConsoleStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * {@code /api/v1/vms/{ref}/vnc}: a VM's graphical display over a WebSocket, as raw RFB (VNC) bytes in binary messages
 * both ways, which is what noVNC speaks (as it does through websockify). Each WebSocket is its own VNC client of the
 * VM's screen (the driver opens one per viewer; {@code GraphicalConsole}), so viewers never take the display from each
 * other. Every role that sees the VM may open it; roles that may operate VMs type and point on it, the others only
 * watch: their bytes pass through {@link RfbReadOnlyFilter}, which drops keyboard, mouse, clipboard, resize and power
 * messages whatever the browser was told, and closes 1008 with its reason on a message it cannot frame. The upgrade is
 * authenticated like any request; another origin's browser is closed 1008. Closes: 1008 refused, 1011 the display
 * could not be opened, 1000 the display ended (the VM stopped).
 */
final class DisplaySocket {
    private static final Logger log = LoggerFactory.getLogger(DisplaySocket.class);
    private static final String STREAM = "polyvisor.display.stream";
    private static final String FILTER = "polyvisor.display.read-only";

    static final String PROTOCOL = "A WebSocket (GET with Upgrade: websocket), authenticated like every request (bearer token or "
            + "session cookie), carrying the RFB (VNC) protocol as binary messages in both directions, from the server's "
            + "version greeting on; each connection is its own VNC client of the VM's screen. For VMs created with display vnc, "
            + "to every role that sees the VM: operators and admins type and point on it; a viewer only watches (the server drops "
            + "its key, pointer, clipboard, resize and power messages). Closed 1008 with the reason for a missing or wrong "
            + "credential, another site's Origin, an unknown VM, one that does not run or one without a display, and a viewer's "
            + "RFB message the server cannot frame; 1011 if the host could not open the display; 1000 when it ends.";
    private final Function<String, Vm> findVm;
    private final Connections conns;

    DisplaySocket(Function<String, Vm> findVm, Connections conns) {
        this.findVm = findVm;
        this.conns = conns;
    }

    Socket socket() {
        return new Socket("/api/v1/vms/{ref}/vnc", "A VM's graphical display, RFB over a WebSocket (noVNC)", PROTOCOL, this::configure);
    }

    private void configure(WsConfig ws) {
        ws.onConnect(ctx -> VmSockets.admit(ctx, findVm, DisplaySocket::refusal).ifPresent(in -> {
            Vm vm = in.vm();
            ConsoleStream stream;
            try {
                stream = conns.get(vm.host()).graphicalConsole().open(vm.id());
            } catch (RuntimeException e) {
                ctx.closeSession(1011, VmSockets.shortText(e.getMessage()));
                return;
            }
            if (!in.who().allows(Permission.OPERATE)) ctx.attribute(FILTER, new RfbReadOnlyFilter()); // before the stream: never a byte unfiltered
            ctx.attribute(STREAM, stream);
            ctx.enableAutomaticPings();
            Thread.ofPlatform().daemon().name("display-" + vm.name()).start(() -> pump(stream, ctx, vm.name()));
        }));
        ws.onBinaryMessage(ctx -> {
            ConsoleStream stream = ctx.attribute(STREAM);
            if (stream == null) return;
            byte[] input = java.util.Arrays.copyOfRange(ctx.data(), ctx.offset(), ctx.offset() + ctx.length());
            RfbReadOnlyFilter readOnly = ctx.attribute(FILTER);
            if (readOnly != null) {
                switch (readOnly.accept(input)) {
                    case RfbReadOnlyFilter.Outcome.Refuse(String reason) -> {
                        ctx.closeSession(1008, VmSockets.shortText(reason));
                        return;
                    }
                    case RfbReadOnlyFilter.Outcome.Forward(byte[] bytes) -> input = bytes;
                }
                if (input.length == 0) return;
            }
            try {
                stream.write(input);
            } catch (RuntimeException ended) {
                ctx.closeSession(1000, "the display ended");
            }
        });
        ws.onClose(DisplaySocket::leave);
        ws.onError(DisplaySocket::leave);
    }

    private static String refusal(Principal who, Vm vm) {
        if (vm.spec().display() != Display.VNC) return "vm " + vm.name() + " has no display (create it with display vnc)";
        return null;
    }

    /** The VM's screen to the browser; blocking sends hold the VNC server back while the browser is slow. */
    private static void pump(ConsoleStream stream, WsContext ctx, String vm) {
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = stream.read(buffer)) > 0) ctx.send(ByteBuffer.wrap(java.util.Arrays.copyOf(buffer, n)));
        } catch (RuntimeException e) {
            log.debug("display of {} ended: {}", vm, e.getMessage());
        }
        stream.close();
        try {
            ctx.closeSession(1000, "the display ended");
        } catch (RuntimeException ignored) {
            // already closed by the browser
        }
    }

    private static void leave(WsContext ctx) {
        ConsoleStream stream = ctx.attribute(STREAM);
        if (stream != null) stream.close();
    }
}
