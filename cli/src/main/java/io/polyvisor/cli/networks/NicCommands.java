package io.polyvisor.cli.networks;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.ApiClient;
import io.polyvisor.cli.Cli;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.MacAddress;
import io.polyvisor.network.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code polyvisor vm attach-nic|detach-nic}: NICs plugged into and out of an existing VM (docs/NETWORKS.md). */
public final class NicCommands {
    private NicCommands() {}

    @Command(name = "attach-nic", description = "Plug a NIC on a private network into a VM (live if it runs); it keeps its MAC and address.")
    public static final class Attach implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "VM", description = "VM name or id.")
        String vm;
        @Option(names = "--network", required = true, paramLabel = "NAME[:IP]", description = "The private network, and the address "
                + "(default: the first free one).")
        String network;
        @Option(names = "--mac", paramLabel = "MAC", description = "The NIC's MAC (default: a new 52:54:00:xx:xx:xx).")
        String mac;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, vm, "attached", cli.client().post("/api/v1/vms/" + ApiClient.encode(vm) + "/nics", body()));
        }

        /** The POST body, checked with the server's messages. */
        Map<String, Object> body() {
            int colon = network.indexOf(':');
            String name = colon < 0 ? network : network.substring(0, colon);
            InvalidInput.require(!name.equals(Network.USER), "only NICs on private networks can be attached or detached");
            var b = new LinkedHashMap<String, Object>();
            b.put("network", Network.requireName(name));
            if (colon >= 0) b.put("ip", Ipv4.parse("ip", network.substring(colon + 1)).toString());
            if (mac != null) b.put("mac", MacAddress.require(mac));
            return b;
        }
    }

    @Command(name = "detach-nic", description = "Unplug a VM's NIC (by MAC) and free its address.")
    public static final class Detach implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "VM", description = "VM name or id.")
        String vm;
        @Parameters(index = "1", paramLabel = "MAC", description = "The NIC's MAC, as vm show lists it.")
        String mac;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, vm, "detached", cli.client().delete("/api/v1/vms/" + ApiClient.encode(vm) + "/nics/" + ApiClient.encode(MacAddress.require(mac))));
        }
    }

    private static void show(Cli cli, String vm, String what, JsonNode nic) {
        if (cli.json()) {
            cli.printJson(nic);
            return;
        }
        cli.out().println("vm " + vm + ": NIC " + nic.path("mac").asText() + " on " + nic.path("network").asText() + " at "
                + nic.path("ip").asText() + " " + what);
    }
}
