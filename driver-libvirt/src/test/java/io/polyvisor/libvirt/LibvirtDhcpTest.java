package io.polyvisor.libvirt;

import io.polyvisor.model.Nic;
import io.polyvisor.network.Cidr;
import io.polyvisor.network.Network;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostNetwork;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DHCP on a private network, on two hosts of the namespaced test fleet: each host runs a dnsmasq for the network in
 * its own namespace with the static leases Polyvisor gives it; tiny guests get their address with udhcpc (nothing on
 * their kernel command line), from their own host's server only; a guest with no lease gets no address; a guest
 * restarted on another host after a live migration gets the same address there; a NIC hot-plugged into a running guest
 * appears in it, gets its lease and carries traffic, and is gone once unplugged. Fails when dnsmasq, nft, libvirt or
 * the guest agent is missing.
 */
class LibvirtDhcpTest {
    static final Network NET = new Network("dhcp", Cidr.parse("10.3.0.0/24"), null, true, 4103);
    static final Nic A = new Nic("dhcp", "52:54:00:30:00:0a", "10.3.0.20");
    static final Nic B = new Nic("dhcp", "52:54:00:30:00:0b", "10.3.0.21");
    static final Nic STRANGER = new Nic("dhcp", "52:54:00:30:00:0c", "10.3.0.22");
    static final Network SIDE = new Network("side", Cidr.parse("10.4.0.0/24"), null, true, 4104);
    static final Nic A_SIDE = new Nic("side", "52:54:00:30:00:1a", "10.4.0.20");
    static final Nic B_SIDE = new Nic("side", "52:54:00:30:00:1b", "10.4.0.21");
    static List<URI> fleet;
    static final List<HostConnection> hosts = new ArrayList<>();
    static final List<UUID> made = new ArrayList<>();

    @BeforeAll
    static void up() {
        fleet = TestFleet.upNetworked(2);
        for (URI u : fleet) hosts.add(new LibvirtDriver().connect(u));
        assertThat(TinyGuest.image().agent()).as("the tiny guest has qemu-guest-agent: the test's way into a guest").isTrue();
    }

    @AfterAll
    static void down() {
        for (HostConnection h : hosts) {
            for (UUID id : made) {
                var d = h.compute().lookup(id);
                if (d.isEmpty()) continue;
                if (d.get().state() != PowerState.SHUTOFF) h.compute().destroy(id);
                h.compute().undefine(id);
            }
            h.networking().remove(NET.vni());
            h.networking().remove(SIDE.vni());
            h.close();
        }
    }

    static void ensureEverywhere(List<Nic> leases) {
        for (int i = 0; i < hosts.size(); i++) {
            String peer = hosts.get(1 - i).networking().underlay().orElseThrow();
            hosts.get(i).networking().ensure(new HostNetwork(NET, new java.util.TreeSet<>(Set.of(peer)), leases));
        }
    }

    static UUID boot(int on, String name, Nic nic) {
        var id = UUID.randomUUID();
        made.add(id);
        var base = TinyGuest.spec(List.of());
        hosts.get(on).compute().define(id, name, new io.polyvisor.model.VmSpec(1, base.memoryBytes(), base.boot(), List.of(nic), List.of()));
        hosts.get(on).compute().start(id);
        return id;
    }

    /** eth0's IPv4 address inside the guest, once udhcpc has set one (or "" after {@code within}). */
    static String address(int on, UUID vm, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            String out = InsideGuest.run(hosts.get(on), vm, "/bin/ip", "-4", "-o", "addr", "show", "eth0").out();
            var m = java.util.regex.Pattern.compile("inet (\\S+)").matcher(out);
            if (m.find()) return m.group(1);
            if (System.nanoTime() > deadline) return "";
            InsideGuest.pause(500);
        }
    }

    /** Waits up to 20 s for the guest's {@code dev} to have {@code mac} (present) or to be gone (absent); says which it found. */
    static boolean plugged(int on, UUID vm, String dev, String mac, boolean present) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            var r = InsideGuest.run(hosts.get(on), vm, "/bin/cat", "/sys/class/net/" + dev + "/address");
            boolean there = r.exitCode() == 0 && r.out().strip().equals(mac);
            if (there == present || System.nanoTime() > deadline) return there;
            InsideGuest.pause(500);
        }
    }

    static Path dir(int i) {
        return DhcpServer.ROOT.resolve(fleet.get(i).getQuery().replaceAll(".*netns=([^&]+).*", "$1"));
    }

    static String log(int i) throws Exception {
        return Files.readString(dir(i).resolve("pvbr" + NET.vni() + ".log"));
    }

    @Test
    void guestsGetTheirAddressFromTheirOwnHostAndKeepItOnAnother() throws Exception {
        ensureEverywhere(List.of(A, B));
        assertThat(Files.readString(dir(0).resolve("pvbr4103.hosts"))).isEqualTo("52:54:00:30:00:0a,10.3.0.20\n52:54:00:30:00:0b,10.3.0.21\n");
        UUID a = boot(0, "a", A);
        UUID b = boot(1, "b", B);
        UUID c = boot(0, "c", STRANGER);
        assertThat(address(0, a, Duration.ofSeconds(60))).isEqualTo("10.3.0.20/24");
        assertThat(address(1, b, Duration.ofSeconds(60))).isEqualTo("10.3.0.21/24");
        assertThat(InsideGuest.run(hosts.get(1), b, "/bin/ip", "link", "show", "eth0").out()).contains("mtu 1450");
        assertThat(InsideGuest.awaitHttp(hosts.get(0), a, "10.3.0.21", Duration.ofSeconds(30))).as("a reaches b across hosts").isEqualTo("b");
        // each guest was answered by its own host only (the other host's answers never cross VXLAN)
        assertThat(log(1)).contains("DHCPACK(pvbr4103) 10.3.0.21 " + B.mac()).doesNotContain("DHCPACK(pvbr4103) 10.3.0.20");
        assertThat(log(0)).contains("DHCPACK(pvbr4103) 10.3.0.20 " + A.mac()).doesNotContain("DHCPACK(pvbr4103) 10.3.0.21");
        // a NIC Polyvisor gave no lease gets nothing (static leases only)
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!log(0).contains(STRANGER.mac() + " no address available") && System.nanoTime() < until) InsideGuest.pause(500);
        assertThat(log(0)).contains("DHCPDISCOVER(pvbr4103) " + STRANGER.mac() + " no address available");
        assertThat(address(0, c, Duration.ZERO)).isEmpty();
        // guests reach their host on the bridge for DHCP only: the gateway address answers no ping
        assertThat(InsideGuest.run(hosts.get(0), a, "/bin/ping", "-c", "2", "-W", "1", NET.gateway().toString()).exitCode()).isNotZero();

        // b moves to h1 live, keeps its address, and after a restart there gets it again from h1's server
        hosts.get(1).migration().migrate(b, hosts.get(0), p -> {});
        assertThat(InsideGuest.awaitHttp(hosts.get(0), a, "10.3.0.21", Duration.ofSeconds(30))).isEqualTo("b");
        hosts.get(0).compute().destroy(b);
        hosts.get(0).compute().start(b);
        assertThat(address(0, b, Duration.ofSeconds(60))).isEqualTo("10.3.0.21/24");
        assertThat(log(0)).contains("DHCPACK(pvbr4103) 10.3.0.21 " + B.mac());

        // a lease added later is served without restarting the server
        String pid = Files.readString(dir(0).resolve("pvbr4103.pid")).strip();
        ensureEverywhere(List.of(A, B, STRANGER));
        assertThat(Files.readString(dir(0).resolve("pvbr4103.pid")).strip()).isEqualTo(pid);
        hosts.get(0).compute().destroy(c);
        hosts.get(0).compute().start(c);
        assertThat(address(0, c, Duration.ofSeconds(60))).isEqualTo("10.3.0.22/24");

        // hot plug: a second NIC into each running guest, on another DHCP network; the guests ask for their addresses
        // on it, reach each other there, and lose it when it is unplugged
        for (int i = 0; i < hosts.size(); i++) {
            String peer = hosts.get(1 - i).networking().underlay().orElseThrow();
            hosts.get(i).networking().ensure(new HostNetwork(SIDE, new java.util.TreeSet<>(Set.of(peer)), List.of(A_SIDE, B_SIDE)));
        }
        hosts.get(0).networking().attachNic(a, A_SIDE);
        hosts.get(0).networking().attachNic(a, A_SIDE); // idempotent
        hosts.get(0).networking().attachNic(b, B_SIDE);
        assertThat(plugged(0, a, "eth1", A_SIDE.mac(), true)).as("a sees its new NIC").isTrue();
        assertThat(plugged(0, b, "eth1", B_SIDE.mac(), true)).isTrue();
        for (UUID g : List.of(a, b)) {
            assertThat(InsideGuest.run(hosts.get(0), g, "/bin/udhcpc", "-i", "eth1", "-s", "/etc/udhcpc.script", "-O", "mtu", "-q", "-t", "10", "-T", "1")
                    .exitCode()).isZero();
        }
        assertThat(InsideGuest.run(hosts.get(0), b, "/bin/ip", "-4", "-o", "addr", "show", "eth1").out()).contains("10.4.0.21/24");
        assertThat(InsideGuest.awaitHttp(hosts.get(0), a, "10.4.0.21", Duration.ofSeconds(30))).isEqualTo("b");
        hosts.get(0).networking().detachNic(b, B_SIDE);
        assertThat(plugged(0, b, "eth1", B_SIDE.mac(), false)).as("b's NIC is gone").isFalse();
        assertThat(InsideGuest.http(hosts.get(0), a, "10.4.0.21")).isNull();
        hosts.get(0).networking().detachNic(b, B_SIDE); // idempotent
        hosts.get(0).networking().remove(SIDE.vni());
        hosts.get(1).networking().remove(SIDE.vni());

        // removing the network stops its server
        hosts.get(1).networking().remove(NET.vni());
        assertThat(Files.exists(dir(1).resolve("pvbr4103.pid"))).isFalse();
        assertThat(Files.exists(Path.of("/proc", Files.readString(dir(0).resolve("pvbr4103.pid")).strip()))).isTrue();
    }
}
