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
 * REST API as the CLI; it adds no route of its own besides signing in and out. See docs/CONSOLE.md.
 */
public final class ConsoleFeature implements Feature {
    private final List<Route> routes;

    public ConsoleFeature(Platform p, Sessions sessions) {
        this.routes = Stream.concat(new ConsoleFiles().routes().stream(), new SessionRoutes(sessions, p.mapper()).routes().stream())
                .toList();
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
