package io.polyvisor.libvirt;

import io.polyvisor.model.Nic;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.network.Cidr;
import io.polyvisor.network.Network;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostNetwork;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The private-network data path on real libvirt hosts: three hosts of the namespaced test fleet (each libvirtd in
 * its own network namespace, joined by an underlay), tiny guests with NICs on bridges carried between hosts by
 * kernel VXLAN devices. From inside guest a (h1) an HTTP request to b's private address (h2) answers "b"; guest c (h3,
 * another network) cannot reach b even with an address of b's network; after b's live migration to h3, a reaches it
 * at the same address. Traffic stays inside the fleet's namespaces. Fails when libvirt or the agent is missing.
 */
class LibvirtNetworkingTest {
    static final Network APP = new Network("app", Cidr.parse("10.1.0.0/24"), null, false, 4101);
    static final Network OTHER = new Network("other", Cidr.parse("10.2.0.0/24"), null, false, 4102);
    static List<URI> fleet;
    static List<HostConnection> hosts = new ArrayList<>();
    static final List<UUID> made = new ArrayList<>();

    @BeforeAll
    static void up() {
        fleet = TestFleet.upNetworked(3);
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
            h.networking().remove(APP.vni());
            h.networking().remove(OTHER.vni());
            h.close();
        }
    }

    static String underlay(int i) {
        return hosts.get(i).networking().underlay().orElseThrow();
    }

    static HostNetwork carried(Network n, int on) {
        var peers = new java.util.HashSet<String>();
        for (int i = 0; i < hosts.size(); i++) if (i != on) peers.add(underlay(i));
        return HostNetwork.of(n, peers);
    }

    static VmSpec spec(Network n, String mac, String ip) {
        var base = TinyGuest.spec(List.of());
        return new VmSpec(1, 128 * Sizes.MiB, base.boot(), List.of(new Nic(n.name(), mac, ip)), List.of());
    }

    static UUID boot(int on, String name, VmSpec spec) {
        var id = UUID.randomUUID();
        made.add(id);
        hosts.get(on).compute().define(id, name, spec);
        hosts.get(on).compute().start(id);
        return id;
    }

    static GuestAgent.Result inGuest(int on, UUID id, String... argv) {
        return InsideGuest.run(hosts.get(on), id, argv);
    }

    static String httpFrom(int on, UUID id, String address) {
        return InsideGuest.http(hosts.get(on), id, address);
    }

    static String awaitHttp(int on, UUID id, String address, Duration within) {
        return InsideGuest.awaitHttp(hosts.get(on), id, address, within);
    }

    @Test
    void guestsReachEachOtherAcrossHostsOnlyOnTheirNetworkAndThroughMigration() throws Exception {
        var h1 = hosts.get(0);
        // refused before anything is made: a bad peer, a NIC on a network the host does not carry
        var badPeer = HostNetwork.of(APP, Set.of("192.168.77.2", "not-an-address"));
        assertThrows(RuntimeException.class, () -> h1.networking().ensure(badPeer));
        assertThat(h1.networking().vnis()).doesNotContain(APP.vni());
        var refused = assertThrows(DriverException.class, () -> h1.compute().define(UUID.randomUUID(), "early", spec(APP, "52:54:00:10:00:99", "10.1.0.99")));
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains("network app is not set up");

        for (int i = 0; i < 3; i++) {
            hosts.get(i).networking().ensure(carried(APP, i));
            hosts.get(i).networking().ensure(carried(APP, i)); // idempotent
            hosts.get(i).networking().ensure(carried(OTHER, i));
            assertThat(hosts.get(i).networking().vnis()).contains(APP.vni(), OTHER.vni());
        }
        String ns1 = fleet.get(0).getQuery().replaceAll(".*netns=([^&]+).*", "$1");
        String vx = run("ip", "netns", "exec", ns1, "ip", "-d", "link", "show", "pvvx" + APP.vni());
        assertThat(vx).contains("vxlan id " + APP.vni(), "local " + underlay(0), "dstport 4789", "nolearning", "mtu 1450", "master pvbr" + APP.vni());
        String fdb = run("ip", "netns", "exec", ns1, "bridge", "fdb", "show", "dev", "pvvx" + APP.vni());
        assertThat(fdb).contains("00:00:00:00:00:00 dst " + underlay(1), "00:00:00:00:00:00 dst " + underlay(2));

        UUID a = boot(0, "a", spec(APP, "52:54:00:10:00:0a", "10.1.0.10"));
        UUID b = boot(1, "b", spec(APP, "52:54:00:10:00:0b", "10.1.0.11"));
        UUID c = boot(2, "c", spec(OTHER, "52:54:00:10:00:0c", "10.2.0.12"));
        long t0 = System.nanoTime();
        String first = awaitHttp(0, a, "10.1.0.11", Duration.ofSeconds(60));
        if (!"b".equals(first)) diagnose(a, b);
        assertThat(first).as("a reaches b across hosts over VXLAN").isEqualTo("b");
        System.out.printf("a reached b over VXLAN %.1f s after b was started%n", (System.nanoTime() - t0) / 1e9);
        assertThat(inGuest(0, a, "/bin/ip", "addr", "show", "eth0").out()).contains("10.1.0.10/24", "mtu 1450");

        // c, on another network, cannot reach b: not even with an address of b's network on its own NIC
        assertThat(httpFrom(2, c, "10.1.0.11")).isNull();
        assertThat(inGuest(2, c, "/bin/ip", "addr", "add", "10.1.0.99/24", "dev", "eth0").exitCode()).isZero();
        assertThat(httpFrom(2, c, "10.1.0.11")).as("other's segment never carries app's frames").isNull();
        assertThat(httpFrom(0, a, "10.1.0.11")).isEqualTo("b");

        // b moves to h3 live; a keeps reaching it at the same address
        var result = hosts.get(1).migration().migrate(b, hosts.get(2), p -> {});
        long moved = System.nanoTime();
        String again = awaitHttp(0, a, "10.1.0.11", Duration.ofSeconds(30));
        System.out.printf("after b's migration (downtime %d ms, total %d ms) a reached it again %.2f s later%n",
                result.downtimeMillis(), result.totalMillis(), (System.nanoTime() - moved) / 1e9);
        assertThat(again).isEqualTo("b");
        assertThat(hosts.get(2).compute().lookup(b)).isPresent();
        assertThat(hosts.get(1).compute().lookup(b)).isEmpty();
    }

    /** What the data path looked like, printed when a check of it fails. */
    static void diagnose(UUID a, UUID b) throws Exception {
        System.out.println("--- a: ip addr\n" + inGuest(0, a, "/bin/ip", "addr").out());
        System.out.println("--- a: ping b\n" + inGuest(0, a, "/bin/sh", "-c", "arp -n; ping -c 2 10.1.0.11"));
        System.out.println("--- b: ip addr\n" + inGuest(1, b, "/bin/ip", "addr").out());
        for (int i = 0; i < 2; i++) {
            String ns = fleet.get(i).getQuery().replaceAll(".*netns=([^&]+).*", "$1");
            System.out.println("--- h" + (i + 1) + " links\n" + run("ip", "netns", "exec", ns, "ip", "-d", "link"));
            System.out.println("--- h" + (i + 1) + " fdb\n" + run("ip", "netns", "exec", ns, "bridge", "fdb"));
        }
        System.out.println("--- b serial\n" + java.nio.file.Files.readString(TestFleet.NET_BASE.resolve("h2/log/qemu/" + b + ".serial.log")));
    }

    static String run(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
