package io.polyvisor.cli.networks;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Resource;
import io.polyvisor.cli.ResourceCommands;
import io.polyvisor.cli.Table;
import io.polyvisor.cli.Table.Column;
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
import java.util.List;
import java.util.Map;

/** {@code polyvisor network create|list|show|delete}: private networks (docs/NETWORKS.md). */
@Command(name = "network", description = "Private networks: one layer-2 segment across hosts (VXLAN), addresses managed by Polyvisor.",
        subcommands = {NetworkCommands.Create.class, NetworkCommands.ListNetworks.class, NetworkCommands.Show.class,
                NetworkCommands.Delete.class})
public final class NetworkCommands implements Runnable {
    static final Resource NETWORKS = new Resource("network", "/api/v1/networks", List.of(
            Column.text("NAME", "name"),
            Column.text("PROJECT", "project"),
            Column.text("CIDR", "cidr"),
            Column.text("GATEWAY", "gateway"),
            new Column("DHCP", n -> n.path("dhcp").asBoolean() ? "on" : "off"),
            Column.text("VNI", "vni"),
            Column.text("BRIDGE", "bridge")), name -> name);

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
            show(cli, cli.client().post(NETWORKS.path(), body()));
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
    static final class ListNetworks extends ResourceCommands.ListAll {
        ListNetworks() {
            super(NETWORKS);
        }
    }

    @Command(name = "show", description = "Show a network and the addresses its NICs hold.")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(NETWORKS, NetworkCommands::show);
        }
    }

    @Command(name = "delete", description = "Delete a network (refused while a VM has a NIC on it).")
    static final class Delete extends ResourceCommands.DeleteShowingItem {
        Delete() {
            super(NETWORKS);
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
