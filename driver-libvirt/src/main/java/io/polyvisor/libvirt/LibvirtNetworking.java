package io.polyvisor.libvirt;

import io.polyvisor.network.Ipv4;
import io.polyvisor.network.Network;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostNetwork;
import io.polyvisor.spi.Networking;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Private networks on a libvirt host, with the kernel's own devices (docs/NETWORKS.md): per network a Linux bridge
 * {@code pvbr<VNI>} and a VXLAN device {@code pvvx<VNI>} (id VNI, UDP 4789, local = the host's underlay address,
 * no learning) enslaved to it, MTU 1450; forwarding entries {@code 00:00:00:00:00:00 dst PEER} for exactly the peers
 * Polyvisor's inventory gives (head-end replication, no multicast). Guests' NICs are taps libvirt adds to the bridge.
 * Commands run through the host's {@link HostShell}.
 */
final class LibvirtNetworking implements Networking {
    private static final Pattern FLOOD = Pattern.compile("00:00:00:00:00:00 dst (\\S+)");
    private static final Pattern BRIDGE = Pattern.compile("\\d+: pvbr(\\d+)[:@]");

    private final HostUri uri;
    private final HostShell shell;
    /** What this connection last ensured, by VNI: for {@link #attached}, and to skip work when nothing changed. */
    private final Map<Integer, HostNetwork> ensured = new ConcurrentHashMap<>();
    /** The firewall last applied through this connection (null: none yet, so the first call always applies). */
    private io.polyvisor.network.HostFirewall applied;
    private final DhcpServer dhcp;

    private final LibvirtConnection host;

    LibvirtNetworking(HostUri uri, HostShell shell, LibvirtConnection host) {
        this.uri = uri;
        this.shell = shell;
        this.host = host;
        this.dhcp = new DhcpServer(shell, uri.netns());
    }

    @Override
    public Optional<String> underlay() {
        return Optional.ofNullable(uri.underlay());
    }

    @Override
    public synchronized void ensure(HostNetwork net) {
        // everything is checked before the host is touched
        String local = underlay().orElseThrow(() -> new DriverException("host " + uri.libvirt() + " has no underlay address (underlay=)"));
        for (String peer : net.peers()) Ipv4.parse("peer underlay address", peer);
        Network n = net.network();
        DhcpServer.hostsFile(n, net.leases()); // checks the leases
        for (HostNetwork other : ensured.values()) {
            if (other.network().name().equals(n.name()) && other.network().vni() != n.vni()) {
                throw new DriverException("host " + uri.libvirt() + " carries network " + n.name() + " with vni " + other.network().vni());
            }
        }
        String br = Network.bridge(n.vni()), vx = Network.vxlan(n.vni());
        if (net.equals(ensured.get(n.vni())) && exists(vx) && (!n.dhcp() || dhcp.serving(n))) return;
        if (!exists(br)) shell.run(List.of("ip", "link", "add", br, "type", "bridge"));
        if (!exists(vx)) {
            shell.run(List.of("ip", "link", "add", vx, "type", "vxlan", "id", Integer.toString(n.vni()), "local", local,
                    "dstport", "4789", "nolearning"));
        }
        shell.run(List.of("ip", "link", "set", vx, "mtu", Integer.toString(Network.GUEST_MTU), "master", br, "up"));
        shell.run(List.of("ip", "link", "set", br, "mtu", Integer.toString(Network.GUEST_MTU), "up"));
        Set<String> have = floods(vx);
        for (String peer : net.peers()) {
            if (!have.contains(peer)) shell.run(List.of("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", vx, "dst", peer));
        }
        for (String stale : have) {
            if (!net.peers().contains(stale)) shell.run(List.of("bridge", "fdb", "del", "00:00:00:00:00:00", "dev", vx, "dst", stale));
        }
        if (n.dhcp()) gateway(n, net);
        ensured.put(n.vni(), net);
    }

    /**
     * DHCP on: the bridge gets the gateway's MAC (from the VNI, alike on every host) and address, IPv6 off, the tables
     * that keep it local ({@link NftDhcp}), and a dnsmasq serving the network's leases ({@link DhcpServer}).
     */
    private void gateway(Network n, HostNetwork net) {
        String br = n.bridge();
        shell.run(List.of("nft", "-f", "-"), NftDhcp.of(n.vni()));
        shell.run(List.of("sysctl", "-q", "-w", "net.ipv6.conf." + br + ".disable_ipv6=1"));
        shell.run(List.of("ip", "link", "set", br, "address", DhcpServer.gatewayMac(n.vni())));
        shell.run(List.of("ip", "addr", "replace", n.gateway() + "/" + n.cidr().prefix(), "dev", br));
        dhcp.serve(n, net.leases());
    }

    @Override
    public synchronized void remove(int vni) {
        dhcp.stop(vni);
        if (tables().contains(NftDhcp.table(vni))) shell.run(List.of("nft", "-f", "-"), NftDhcp.remove(vni));
        for (String dev : List.of(Network.vxlan(vni), Network.bridge(vni))) {
            if (exists(dev)) shell.run(List.of("ip", "link", "del", dev));
        }
        ensured.remove(vni);
    }

    /**
     * Security groups as an nftables table {@code inet polyvisor} in the host's namespace, replaced in one {@code nft -f}
     * transaction: two base chains on the forward hook, egress then ingress ({@link NftRuleset}; bridged IPv4 traffic
     * passes them: {@code bridge-nf-call-iptables} is set), each accepting established and related traffic, each guarded
     * address's allows, then dropping its other new traffic. The first call through a connection reconciles whatever
     * table the host has.
     */
    @Override
    public synchronized void firewall(io.polyvisor.network.HostFirewall fw) {
        if (fw.equals(applied)) return;
        // the first call through this connection: the host may hold a table an earlier server process left (a crash
        // between a change and its application, another server that had the host): it is replaced now, or deleted
        // when nothing is guarded; with no table and nothing to guard, the host is left alone (it may not have nft)
        if (applied == null && fw.guards().isEmpty() && !tables().contains(NftRuleset.TABLE)) {
            applied = fw;
            return;
        }
        String script = NftRuleset.of(fw);
        if (!fw.guards().isEmpty()) shell.run(List.of("sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=1"));
        shell.run(List.of("nft", "-f", "-"), script);
        applied = fw;
    }

    /** libvirt's {@code VIR_DOMAIN_AFFECT_LIVE} and {@code VIR_DOMAIN_AFFECT_CONFIG}. */
    private static final int LIVE = 1, CONFIG = 2;

    @Override
    public void attachNic(java.util.UUID vm, io.polyvisor.model.Nic nic) {
        Network net = attached().get(nic.network());
        if (net == null) {
            throw new DriverException("network " + nic.network() + " is not set up on this host: ensure it first", false, null);
        }
        String xml = DomainXml.interfaceXml(nic, net);
        host.call("attach nic " + nic.mac(), () -> {
            var d = ((LibvirtCompute) host.compute()).require(vm);
            if (DomainXml.interfaceWithMac(d.getXMLDesc(0), nic.mac()).isEmpty()) d.attachDeviceFlags(xml, flags(d));
            return null;
        });
    }

    @Override
    public void detachNic(java.util.UUID vm, io.polyvisor.model.Nic nic) {
        host.call("detach nic " + nic.mac(), () -> {
            var d = ((LibvirtCompute) host.compute()).require(vm);
            var plugged = DomainXml.interfaceWithMac(d.getXMLDesc(0), nic.mac());
            if (plugged.isEmpty()) return null;
            String xml = plugged.get(); // as libvirt describes it: it finds the device to remove by it
            d.detachDeviceFlags(xml, flags(d));
            return null;
        });
    }

    private static int flags(org.libvirt.Domain d) throws org.libvirt.LibvirtException {
        return d.isActive() == 1 ? LIVE | CONFIG : CONFIG;
    }

    @Override
    public Set<Integer> vnis() {
        var out = new TreeSet<Integer>();
        var m = BRIDGE.matcher(shell.run(List.of("ip", "-o", "link", "show", "type", "bridge")));
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    /** The networks ensured through this connection, by name: what a domain's NICs can be attached to. */
    Map<String, Network> attached() {
        var out = new java.util.HashMap<String, Network>();
        ensured.values().forEach(h -> out.put(h.network().name(), h.network()));
        return out;
    }

    /** The names of the nftables tables on the host (none when nft is absent and nothing was ever made). */
    private Set<String> tables() {
        try {
            var out = new HashSet<String>();
            var m = Pattern.compile("table \\S+ (\\S+)").matcher(shell.run(List.of("nft", "list", "tables")));
            while (m.find()) out.add(m.group(1));
            return out;
        } catch (DriverException noNft) {
            return Set.of();
        }
    }

    private boolean exists(String dev) {
        return !shell.run(List.of("ip", "-o", "link", "show")).lines()
                .filter(l -> l.matches("\\d+: " + Pattern.quote(dev) + "[:@].*")).toList().isEmpty();
    }

    private Set<String> floods(String vx) {
        var out = new HashSet<String>();
        var m = FLOOD.matcher(shell.run(List.of("bridge", "fdb", "show", "dev", vx)));
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
