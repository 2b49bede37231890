package io.polyvisor.cli.networks;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.ApiClient;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.network.Cidr;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code polyvisor network create|list|show|delete}: private networks (docs/NETWORKS.md). */
@Command(name = "network", description = "Private networks: one layer-2 segment across hosts (VXLAN), addresses managed by Polyvisor.",
        subcommands = {NetworkCommands.Create.class, NetworkCommands.ListNetworks.class, NetworkCommands.Show.class,
                NetworkCommands.Delete.class})
public final class NetworkCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "create", description = "Create a network; VMs join it with vm create --network NAME[:IP].")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "1-15 characters of a-z, 0-9 and '-', starting with a letter.")
        String name;
        @Option(names = "--cidr", required = true, paramLabel = "CIDR", description = "Its IPv4 addresses, /8 to /29: 10.0.0.0/24.")
        String cidr;
        @Option(names = "--gateway", paramLabel = "IP", description = "The gateway address (default: the first address).")
        String gateway;
        @Option(names = "--dhcp", paramLabel = "on|off", defaultValue = "off", description = "Serve DHCP on it (default off: "
                + "guests are given their address on the boot command line).")
        String dhcp;
        @Option(names = "--project", paramLabel = "NAME", description = "The project that owns it (default: default).")
        String project;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().post("/api/v1/networks", body()));
        }

        /** The request body, checked with the model's own validators first (same messages as the server's). */
        Map<String, Object> body() {
            Network.requireName(name);
            Cidr c = Cidr.parse(cidr);
            InvalidInput.require(dhcp.equals("on") || dhcp.equals("off"), "--dhcp must be on or off, got '" + dhcp + "'");
            new Network(name, c, gateway == null ? null : Ipv4.parse("gateway", gateway), dhcp.equals("on"), 1);
            var b = new LinkedHashMap<String, Object>();
            b.put("name", name);
            b.put("cidr", cidr);
            if (gateway != null) b.put("gateway", gateway);
            b.put("dhcp", dhcp.equals("on"));
            if (project != null) b.put("project", project);
            return b;
        }
    }

    @Command(name = "list", description = "List networks.")
    static final class ListNetworks implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode nets = cli.client().get("/api/v1/networks");
            var t = new Table("NAME", "PROJECT", "CIDR", "GATEWAY", "DHCP", "VNI", "BRIDGE");
            for (JsonNode n : nets) {
                t.row(n.path("name").asText(), n.path("project").asText(), n.path("cidr").asText(), n.path("gateway").asText(),
                        n.path("dhcp").asBoolean() ? "on" : "off", n.path("vni").asText(), n.path("bridge").asText());
            }
            cli.print(nets, t);
        }
    }

    @Command(name = "show", description = "Show a network and the addresses its NICs hold.")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            show(cli, cli.client().get("/api/v1/networks/" + ApiClient.encode(name)));
        }
    }

    @Command(name = "delete", description = "Delete a network (refused while a VM has a NIC on it).")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode n = cli.client().delete("/api/v1/networks/" + ApiClient.encode(name));
            if (cli.json()) cli.printJson(n);
            else cli.out().println("network " + name + " deleted");
        }
    }

    static void show(Cli cli, JsonNode n) {
        if (cli.json()) {
            cli.printJson(n);
            return;
        }
        var out = cli.out();
        out.println("Network " + n.path("name").asText() + "   " + n.path("cidr").asText() + "   gateway " + n.path("gateway").asText()
                + "   dhcp " + (n.path("dhcp").asBoolean() ? "on" : "off") + "   vni " + n.path("vni").asInt() + "   bridge "
                + n.path("bridge").asText() + "   mtu " + n.path("mtu").asInt());
        var t = new Table("ADDRESS", "VM");
        for (JsonNode a : n.path("addresses")) t.row(a.path("address").asText(), a.path("vm").asText(a.path("vm_id").asText()));
        out.print(n.path("addresses").isEmpty() ? "No addresses in use.\n" : t.render());
    }
}
