package io.polyvisor.console;

import io.polyvisor.api.Route;
import io.polyvisor.api.Sessions;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;

import java.util.List;
import java.util.stream.Stream;

/**
 * The web console: a browser front end served by this server at {@code /} (static ES modules packaged in the jar,
 * {@link ConsoleFiles}), and the session routes it signs in with ({@link SessionRoutes}). The console calls the same
 * REST API as the CLI; it adds signing in and out, a VM's serial console over a WebSocket ({@link SerialSocket}) and its
 * graphical display ({@link DisplaySocket}, shown with noVNC). See docs/CONSOLE.md.
 */
public final class ConsoleFeature implements Feature {
    private final List<Route> routes;
    private final SerialSocket serial;
    private final DisplaySocket display;

    public ConsoleFeature(Platform p, Sessions sessions, java.util.function.Function<String, io.polyvisor.model.Vm> findVm) {
        this.routes = Stream.concat(new ConsoleFiles().routes().stream(), new SessionRoutes(sessions, p.mapper()).routes().stream())
                .toList();
        this.serial = new SerialSocket(findVm, p.conns(), new SerialLines());
        this.display = new DisplaySocket(findVm, p.conns());
    }

    @Override
    public List<io.polyvisor.api.Socket> sockets() {
        return List.of(serial.socket(), display.socket());
    }

    /** {@code display}: the VM's graphical display ({@code none} or {@code vnc}). */
    @Override
    public List<io.polyvisor.feature.VmFacet> vmFacets() {
        return List.of(new io.polyvisor.feature.VmFacet("display", String.class, vm -> vm.spec().display().label()));
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public List<Route> routes() {
        return routes;
    }
}
