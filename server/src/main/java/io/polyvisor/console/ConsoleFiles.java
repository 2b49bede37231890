package io.polyvisor.console;

import io.javalin.http.Context;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.model.Refusal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's static files, read once from the jar ({@code /console/} on the class path): the page at {@code /},
 * its stylesheet and its ES modules under {@code /console/}. Only the files listed in {@link #MODULES} are served,
 * so no request path ever reaches the class path. Every answer forbids framing and sniffing; the page carries a
 * Content-Security-Policy that allows scripts, styles and connections to this origin only, and inline styles (xterm.js
 * writes its own style elements; scripts stay this origin's files only).
 */
final class ConsoleFiles {
    /** The ES modules of the console, in {@code src/main/resources/console/}. */
    static final List<String> MODULES = List.of("app.js", "api.js", "dom.js", "dashboard.js", "hosts.js", "vms.js", "events.js", "roles.js",
            "host.js", "vm.js", "charts.js", "serial.js", "display.js", "placement.js", "ha.js", "balance.js", "resources.js", "reads.js",
            "resource-kit.js", "projects.js", "users.js", "networks.js", "volumes.js", "groups.js", "images.js", "vm-parts.js", "settings.js",
            "templates.js", "secgroups.js");
    /**
     * Third-party files in {@code console/vendor/}, copied from npm at the versions of server/console-deps/package-lock.json
     * by scripts/console-deps, each with its licence: uPlot (charts), xterm.js and its fit addon (serial console), noVNC
     * (graphical display; its modules bundled into one file).
     */
    static final Map<String, String> VENDOR = Map.of(
            "uPlot.esm.js", "text/javascript", "uPlot.min.css", "text/css", "uPlot.LICENSE", "text/plain",
            "xterm.mjs", "text/javascript", "xterm.css", "text/css", "xterm.LICENSE", "text/plain",
            "addon-fit.mjs", "text/javascript", "addon-fit.LICENSE", "text/plain",
            "novnc.mjs", "text/javascript", "novnc.LICENSE", "text/plain");
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final byte[] page = read("index.html");
    private final byte[] style = read("console.css");
    private final Map<String, byte[]> modules = new LinkedHashMap<>();
    private final Map<String, byte[]> vendor = new LinkedHashMap<>();

    ConsoleFiles() {
        MODULES.forEach(m -> modules.put(m, read(m)));
        VENDOR.keySet().forEach(f -> vendor.put(f, read("vendor/" + f)));
    }

    List<Route> routes() {
        return List.of(
                Route.get("/", "The web console (HTML; signs in with POST /api/v1/session)",
                        new Payload.Text("text/html", "the console's page"),
                        ctx -> send(ctx, "text/html; charset=utf-8", page)).unauthenticated(),
                Route.get("/console.css", "The web console's stylesheet", new Payload.Text("text/css", "CSS"),
                        ctx -> send(ctx, "text/css; charset=utf-8", style)).unauthenticated(),
                Route.get("/console/{module}", "One of the web console's ES modules",
                        new Payload.Text("text/javascript", "an ES module"), this::module).unauthenticated(),
                Route.get("/console/vendor/{file}", "A third-party file of the web console (uPlot, xterm.js, noVNC), with its licence",
                        new Payload.Text("text/javascript", "an ES module, a stylesheet or a licence"), this::vendored).unauthenticated());
    }

    private void vendored(Context ctx) {
        String name = ctx.pathParam("file");
        byte[] body = vendor.get(name);
        if (body == null) throw Refusal.notFound("the console has no vendored file " + (name.length() > 64 ? name.substring(0, 64) + "..." : name));
        send(ctx, VENDOR.get(name) + "; charset=utf-8", body);
    }

    private void module(Context ctx) {
        String name = ctx.pathParam("module");
        byte[] body = modules.get(name);
        if (body == null) throw Refusal.notFound("the console has no module " + (name.length() > 64 ? name.substring(0, 64) + "..." : name));
        send(ctx, "text/javascript; charset=utf-8", body);
    }

    private static void send(Context ctx, String type, byte[] body) {
        ctx.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .contentType(type)
                .result(body);
    }

    private static byte[] read(String file) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream("/console/" + file)) {
            if (in == null) throw new IllegalStateException("the console file " + file + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + file, e);
        }
    }
}
