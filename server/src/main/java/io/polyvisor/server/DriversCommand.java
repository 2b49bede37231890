package io.polyvisor.server;

import io.polyvisor.cli.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.spi.DriverRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code polyvisor drivers}: the capability matrix (drivers x capability groups) of the drivers on this
 * installation's class path, generated from {@link DriverRegistry#load()} rather than written by hand.
 * Needs no server. JSON has the shape of {@code GET /api/v1/drivers}.
 */
@Command(name = "drivers", description = "Show the hypervisor drivers installed and the capability groups each offers.")
final class DriversCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var providers = DriverRegistry.load().providers();
        cli.print(json(providers), table(providers));
    }

    static Table table(List<DriverProvider> providers) {
        var headers = new ArrayList<String>(List.of("DRIVER"));
        for (var c : Capability.values()) headers.add(c.label().toUpperCase(java.util.Locale.ROOT));
        headers.add("SCHEMES"); // last: libvirt's list is long
        var t = new Table(headers.toArray(String[]::new));
        for (var p : providers) {
            var cells = new ArrayList<String>(List.of(p.name()));
            for (var c : Capability.values()) cells.add(p.capabilities().contains(c) ? "yes" : "-");
            cells.add(String.join(",", p.schemes()));
            t.row(cells.toArray(String[]::new));
        }
        return t;
    }

    static ArrayNode json(List<DriverProvider> providers) {
        var arr = Cli.JSON.createArrayNode();
        for (var p : providers) {
            var o = arr.addObject().put("name", p.name());
            p.schemes().forEach(o.putArray("schemes")::add);
            var caps = o.putArray("capabilities");
            for (var c : Capability.values()) if (p.capabilities().contains(c)) caps.add(c.label());
        }
        return arr;
    }
}
