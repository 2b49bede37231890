package io.polyvisor.realvm;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.libvirt.Fleet;
import io.polyvisor.libvirt.InsideGuest;
import io.polyvisor.libvirt.LibvirtDriver;
import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.libvirt.TinyGuest;
import io.polyvisor.server.TestServer;
import io.polyvisor.spi.HostConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Private networks through Polyvisor's REST API on three real libvirt hosts of the namespaced test fleet (each
 * libvirtd in its own network namespace, joined by an underlay; scripts/test-hosts with POLYVISOR_TEST_HOSTS_NETNS=1),
 * tiny guests: a on h1 and b on h2 on network app, c on h3 on network other. From inside a (its guest agent), an HTTP
 * request to b's private address answers "b"; c cannot reach b, not even with an address of app's range; b is
 * live-migrated to h3 and a reaches it at the same address; h3 is killed, HA restarts b elsewhere with the same MAC
 * and address, and a reaches it again. Fails when libvirt or the guest agent is missing.
 */
class NetworksRealTest {
    @TempDir
    static Path data;
    static TestServer api;
    static List<URI> fleet;
    static final Map<String, HostConnection> hosts = new HashMap<>();

    @BeforeAll
    static void start() {
        fleet = TestFleet.upNetworked(3);
        assertThat(TinyGuest.image().agent()).as("the tiny guest has qemu-guest-agent: the test's way into a guest").isTrue();
        api = TestServer.start(data, 0);
        String agent = Fleet.find("scripts/fence_polyvisor_test_host").toString();
        for (int i = 1; i <= 3; i++) {
            var r = api.post("/api/v1/hosts", "{\"uri\":\"" + fleet.get(i - 1) + "\",\"name\":\"h" + i + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            assertThat(r.json().path("capabilities").toString()).contains("networking");
            var fence = api.send(api.request("/api/v1/ha/hosts/h" + i + "/fence-agent").header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"agent\":\"" + agent + "\",\"options\":{\"plug\":\"" + i
                            + "\",\"base\":\"" + TestFleet.NET_BASE + "\"}}")).build());
            assertThat(fence.status()).as(fence.text()).isEqualTo(200);
            hosts.put("h" + i, new LibvirtDriver().connect(fleet.get(i - 1)));
        }
    }

    @AfterAll
    static void stop() {
        hosts.values().forEach(HostConnection::close);
        if (api != null) api.close();
    }

    static JsonNode create(String name, String host, String nics, String protection) {
        var img = TinyGuest.image();
        var r = api.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"128M\",\"host\":\"" + host + "\",\"protection\":\""
                + protection + "\",\"boot\":{\"kernel\":\"" + img.kernel() + "\",\"initrd\":\"" + img.initrd() + "\",\"cmdline\":\""
                + img.cmdline() + "\"},\"nics\":" + nics + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return api.await("/api/v1/vms/" + name, v -> v.path("state").asText().equals("running"), Duration.ofSeconds(60));
    }

    static UUID id(JsonNode vm) {
        return UUID.fromString(vm.path("id").asText());
    }

    @Test
    void guestsOnOneNetworkReachEachOtherAcrossHostsThroughMigrationAndHaRestartAndNoOneElseDoes() {
        assertThat(api.post("/api/v1/networks", "{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/networks", "{\"name\":\"other\",\"cidr\":\"10.2.0.0/24\"}").status()).isEqualTo(201);
        var a = create("a", "h1", "[{\"network\":\"app\"}]", "none");
        var b = create("b", "h2", "[{\"network\":\"app\",\"ip\":\"10.1.0.11\"}]", "restart");
        var c = create("c", "h3", "[{\"network\":\"other\"}]", "none");
        assertThat(a.path("nics").get(0).path("ip").asText()).isEqualTo("10.1.0.2");
        assertThat(c.path("nics").get(0).path("ip").asText()).isEqualTo("10.2.0.2");
        var h1 = hosts.get("h1");

        long t0 = System.nanoTime();
        assertThat(InsideGuest.awaitHttp(h1, id(a), "10.1.0.11", Duration.ofSeconds(60))).as("a reaches b on h2 over VXLAN").isEqualTo("b");
        System.out.printf("a reached b %.1f s after both were running%n", (System.nanoTime() - t0) / 1e9);
        var h3 = hosts.get("h3");
        assertThat(InsideGuest.http(h3, id(c), "10.1.0.11")).as("c, on network other, does not reach b").isNull();
        assertThat(InsideGuest.run(h3, id(c), "/bin/ip", "addr", "add", "10.1.0.99/24", "dev", "eth0").exitCode()).isZero();
        assertThat(InsideGuest.http(h3, id(c), "10.1.0.11")).as("not even with an address of app's range").isNull();

        // a security group allowing only tcp:80 from app's range: b refuses another port to a (nftables on b's host)
        var h2 = hosts.get("h2");
        assertThat(InsideGuest.run(h2, id(b), "/bin/httpd", "-p", "8080", "-h", "/www").exitCode()).isZero();
        assertThat(InsideGuest.http(h1, id(a), "10.1.0.11", 8080)).as("port 8080 open before the group").isEqualTo("b");
        assertThat(api.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"}]}").status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/secgroups/web/members", "{\"vm\":\"b\"}").status()).isEqualTo(200);
        long g0 = System.nanoTime();
        while (InsideGuest.http(h1, id(a), "10.1.0.11", 8080) != null) {
            assertThat(System.nanoTime() - g0).as("b's host guards it within a sync round").isLessThan(Duration.ofSeconds(15).toNanos());
        }
        System.out.printf("security group on b enforced %.1f s after it joined%n", (System.nanoTime() - g0) / 1e9);
        assertThat(InsideGuest.http(h1, id(a), "10.1.0.11")).as("tcp:80 still answers").isEqualTo("b");

        // live migration h2 -> h3 over the underlay: same MAC and address, a reaches b again
        var m = api.post("/api/v1/vms/b/migrate", "{\"to\":\"h3\"}");
        assertThat(m.status()).as(m.text()).isEqualTo(202);
        var task = api.awaitTask(m.json().path("id").asText());
        long migrated = System.nanoTime();
        assertThat(InsideGuest.awaitHttp(h1, id(a), "10.1.0.11", Duration.ofSeconds(30))).isEqualTo("b");
        System.out.printf("migration (downtime %s ms, total %s ms): a reached b again %.2f s after the task ended%n",
                task.path("result").path("downtime_ms").asText(), task.path("result").path("total_ms").asText(),
                (System.nanoTime() - migrated) / 1e9);
        var moved = api.get("/api/v1/vms/b").json();
        assertThat(moved.path("host").asText()).isEqualTo("h3");
        assertThat(moved.path("nics")).isEqualTo(b.path("nics"));
        assertThat(InsideGuest.http(h1, id(a), "10.1.0.11", 8080)).as("the group's guard moved with b to h3").isNull();

        // h3 dies: HA fences it and restarts b elsewhere with the same MAC and address
        long killed = System.nanoTime();
        TestFleet.killNetworked(3);
        var restarted = api.await("/api/v1/vms/b", v -> v.path("state").asText().equals("running") && !v.path("host").asText().equals("h3"),
                Duration.ofSeconds(90));
        assertThat(restarted.path("nics")).isEqualTo(b.path("nics"));
        assertThat(InsideGuest.awaitHttp(h1, id(a), "10.1.0.11", Duration.ofSeconds(90))).as("a reaches b after its HA restart").isEqualTo("b");
        System.out.printf("h3 killed: b restarted on %s, a reached it %.1f s after the kill%n", restarted.path("host").asText(),
                (System.nanoTime() - killed) / 1e9);
    }

    /** The address udhcpc gave {@code dev} inside the guest, once it has one (or "" after 60 s). */
    static String leased(HostConnection h, UUID vm, String dev) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var m = java.util.regex.Pattern.compile("inet (\\S+)").matcher(InsideGuest.run(h, vm, "/bin/ip", "-4", "-o", "addr", "show", dev).out());
            if (m.find()) return m.group(1);
            if (System.nanoTime() > deadline) return "";
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }

    @Test
    void dhcpNetworksGiveGuestsTheirAddressesAndNicsArePluggedIntoRunningGuests() {
        assertThat(api.post("/api/v1/networks", "{\"name\":\"lan\",\"cidr\":\"10.7.0.0/24\",\"dhcp\":true}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/networks", "{\"name\":\"lan2\",\"cidr\":\"10.8.0.0/24\",\"dhcp\":true}").status()).isEqualTo(201);
        var d = create("d", "h1", "[{\"network\":\"lan\"}]", "none");
        var e = create("e", "h2", "[{\"network\":\"lan\",\"ip\":\"10.7.0.20\"}]", "none");
        var h1 = hosts.get("h1");
        var h2 = hosts.get("h2");
        // nothing on the kernel command line: udhcpc asked the host's dnsmasq, which knew the address Polyvisor gave
        assertThat(leased(h2, id(e), "eth0")).isEqualTo("10.7.0.20/24");
        assertThat(leased(h1, id(d), "eth0")).isEqualTo(d.path("nics").get(0).path("ip").asText() + "/24");
        assertThat(InsideGuest.awaitHttp(h1, id(d), "10.7.0.20", Duration.ofSeconds(60))).as("d reaches e over VXLAN").isEqualTo("e");

        // a NIC on lan2 plugged into each running guest through the API; each asks for its address there
        var pd = api.post("/api/v1/vms/d/nics", "{\"network\":\"lan2\"}");
        assertThat(pd.status()).as(pd.text()).isEqualTo(201);
        var pe = api.post("/api/v1/vms/e/nics", "{\"network\":\"lan2\",\"ip\":\"10.8.0.30\"}");
        assertThat(pe.status()).as(pe.text()).isEqualTo(201);
        for (var g : List.of(Map.entry(h1, id(d)), Map.entry(h2, id(e)))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (InsideGuest.run(g.getKey(), g.getValue(), "/bin/cat", "/sys/class/net/eth1/address").exitCode() != 0) {
                assertThat(System.nanoTime()).as("the guest sees its hot-plugged NIC").isLessThan(deadline);
            }
            assertThat(InsideGuest.run(g.getKey(), g.getValue(), "/bin/udhcpc", "-i", "eth1", "-s", "/etc/udhcpc.script", "-O", "mtu", "-q",
                    "-t", "10", "-T", "1").exitCode()).isZero();
        }
        assertThat(leased(h2, id(e), "eth1")).isEqualTo("10.8.0.30/24");
        assertThat(InsideGuest.awaitHttp(h1, id(d), "10.8.0.30", Duration.ofSeconds(30))).as("d reaches e on lan2").isEqualTo("e");

        var unplugged = api.delete("/api/v1/vms/e/nics/" + pe.json().path("mac").asText());
        assertThat(unplugged.status()).as(unplugged.text()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (InsideGuest.run(h2, id(e), "/bin/cat", "/sys/class/net/eth1/address").exitCode() == 0) {
            assertThat(System.nanoTime()).as("the NIC leaves the guest").isLessThan(deadline);
        }
        assertThat(InsideGuest.http(h1, id(d), "10.8.0.30")).isNull();
        assertThat(api.get("/api/v1/networks/lan2").json().path("addresses")).hasSize(1);
    }
}
