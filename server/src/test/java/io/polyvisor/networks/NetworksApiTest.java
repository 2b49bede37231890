package io.polyvisor.networks;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Private networks through the real server on simulated hosts: hostile input, addresses, NICs kept, who reaches whom. */
class NetworksApiTest {
    @TempDir
    Path data;
    TestServer s;
    String dc;

    @BeforeEach
    void start() {
        s = TestServer.start(data, 0);
        dc = TestServer.uniqueDatacenter();
        for (String h : new String[] {"h1", "h2", "h3"}) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=4G\",\"name\":\"" + h + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    TestServer.Response network(String body) {
        return s.post("/api/v1/networks", body);
    }

    void refused(TestServer.Response r, int status, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).isEqualTo(detail);
    }

    TestServer.Response vm(String name, String host, String nics) {
        return s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"host\":\"" + host + "\",\"nics\":" + nics + "}");
    }

    JsonNode created(TestServer.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        return s.get("/api/v1/vms/" + r.json().path("vm").path("name").asText()).json();
    }

    @Test
    void hostileNetworksAreRefusedWithTheReasonAndNothingIsMade() {
        assertThat(network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        refused(network("{\"name\":\"App!\",\"cidr\":\"10.2.0.0/24\"}"), 400, "network name must be 1-15 characters of a-z, 0-9"
                + " and '-', starting with a letter (it must be safe in interface names), got 'App!'");
        refused(network("{\"name\":\"a-very-long-name1\",\"cidr\":\"10.2.0.0/24\"}"), 400, "network name must be 1-15 characters of"
                + " a-z, 0-9 and '-', starting with a letter (it must be safe in interface names), got 'a-very-long-name1'");
        refused(network("{\"name\":\"user\",\"cidr\":\"10.2.0.0/24\"}"), 400, "network name 'user' is reserved for user-mode networking");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.2.0.1/24\"}"), 400, "cidr 10.2.0.1/24 has host bits set; the network is 10.2.0.0/24");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.2.0.0/30\"}"), 400, "cidr prefix must be between /8 and /29, got /30");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.2.0.0\"}"), 400, "cidr must be an IPv4 network such as 10.0.0.0/24, got '10.2.0.0'");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.2.0.0/24\",\"gateway\":\"10.3.0.1\"}"), 400, "gateway 10.3.0.1 is outside 10.2.0.0/24");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.2.0.0/24\",\"gateway\":\"10.2.0.255\"}"), 400,
                "gateway 10.2.0.255 is the broadcast address of 10.2.0.0/24");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.2.0.0/24\",\"gateway\":\"10.2.0.256\"}"), 400,
                "gateway must be an IPv4 address such as 10.0.0.5, got '10.2.0.256'");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.0.0.0/8\"}"), 409, "cidr 10.0.0.0/8 overlaps network app (10.1.0.0/24)");
        refused(network("{\"name\":\"b\",\"cidr\":\"10.1.0.128/25\"}"), 409, "cidr 10.1.0.128/25 overlaps network app (10.1.0.0/24)");
        refused(network("{\"name\":\"app\",\"cidr\":\"10.9.0.0/24\"}"), 409, "a network named app already exists");
        var list = s.get("/api/v1/networks").json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("vni").asInt()).isEqualTo(1);
        var b = network("{\"name\":\"b\",\"cidr\":\"10.2.0.0/24\"}");
        assertThat(b.json().path("gateway").asText()).isEqualTo("10.2.0.1");
        assertThat(b.json().path("bridge").asText()).isEqualTo("pvbr" + b.json().path("vni").asInt());
        assertThat(b.json().path("vni").asInt()).isNotEqualTo(1);
    }

    @Test
    void nicsGetAddressesOnceRefusingBadOrTakenOnesAndKeepThemThroughMigration() {
        var app = network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}");
        assertThat(app.status()).isEqualTo(201);
        int appVni = app.json().path("vni").asInt();
        assertThat(network("{\"name\":\"other\",\"cidr\":\"10.2.0.0/24\"}").status()).isEqualTo(201);
        JsonNode a = created(vm("a", "h1", "[{\"network\":\"app\"}]"));
        assertThat(a.path("nics")).hasSize(1);
        assertThat(a.path("nics").get(0).path("network").asText()).isEqualTo("app");
        assertThat(a.path("nics").get(0).path("ip").asText()).isEqualTo("10.1.0.2"); // .1 is the gateway
        String mac = a.path("nics").get(0).path("mac").asText();
        assertThat(mac).matches("52:54:00(:[0-9a-f]{2}){3}");
        JsonNode b = created(vm("b", "h2", "[{\"network\":\"app\",\"ip\":\"10.1.0.10\"}]"));
        assertThat(b.path("nics").get(0).path("ip").asText()).isEqualTo("10.1.0.10");
        JsonNode c = created(vm("c", "h3", "[{\"network\":\"other\"}]"));

        refused(vm("d", "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.10\"}]"), 409, "address 10.1.0.10 on network app is taken");
        refused(vm("d", "h1", "[{\"network\":\"app\",\"ip\":\"10.2.0.5\"}]"), 400, "address 10.2.0.5 is outside network app (10.1.0.0/24)");
        refused(vm("d", "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.1\"}]"), 400, "address 10.1.0.1 is the gateway of network app (10.1.0.0/24)");
        refused(vm("d", "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.0\"}]"), 400,
                "address 10.1.0.0 is the network address of network app (10.1.0.0/24)");
        refused(vm("d", "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.255\"}]"), 400,
                "address 10.1.0.255 is the broadcast address of network app (10.1.0.0/24)");
        refused(vm("d", "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.x\"}]"), 400, "nics[0].ip must be an IPv4 address such as 10.0.0.5, got '10.1.0.x'");
        refused(vm("d", "h1", "[{\"network\":\"app\",\"mac\":\"01:00:5e:00:00:01\"}]"), 400,
                "mac 01:00:5e:00:00:01 is a multicast address; a NIC needs a unicast one");
        refused(vm("d", "h1", "[{\"network\":\"app\",\"mac\":\"" + mac + "\"}]"), 409, "mac " + mac + " is taken");
        refused(vm("d", "h1", "[{\"network\":\"nope\"}]"), 404, "network nope not found");
        refused(vm("d", "h1", "[{\"network\":\"Bad_Name\"}]"), 400, "network name must be 1-15 characters of a-z, 0-9 and '-',"
                + " starting with a letter (it must be safe in interface names), got 'Bad_Name'");
        refused(vm("d", "h1", "[{\"network\":\"app\"},{\"network\":\"app\"}]"), 400, "a VM takes at most one NIC per network");
        assertThat(s.get("/api/v1/vms/d").status()).isEqualTo(404);
        assertThat(s.get("/api/v1/networks/app").json().path("addresses")).hasSize(2);

        refused(s.delete("/api/v1/networks/app"), 409, "network app is in use by vm a");

        // who reaches whom, in the simulator's model of the data path
        var sim = SimDatacenter.named(dc);
        UUID ida = UUID.fromString(a.path("id").asText()), idc = UUID.fromString(c.path("id").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(ida, "10.1.0.10"));
        assertThat(sim.reachable(idc, "10.1.0.10")).isFalse();

        // b moves to h3: same MAC and address, and a still reaches it
        var m = s.post("/api/v1/vms/b/migrate", "{\"to\":\"h3\"}");
        assertThat(m.status()).as(m.text()).isEqualTo(202);
        s.awaitTask(m.json().path("id").asText());
        JsonNode moved = s.get("/api/v1/vms/b").json();
        assertThat(moved.path("host").asText()).isEqualTo("h3");
        assertThat(moved.path("nics")).isEqualTo(b.path("nics"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(ida, "10.1.0.10"));
        assertThat(sim.reachable(idc, "10.1.0.10")).isFalse();

        // deleting a VM frees its address; a network with no NICs can go
        s.awaitTask(s.delete("/api/v1/vms/a").json().path("id").asText());
        s.awaitTask(s.delete("/api/v1/vms/b").json().path("id").asText());
        assertThat(s.get("/api/v1/networks/app").json().path("addresses")).isEmpty();
        assertThat(s.delete("/api/v1/networks/app").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.connect("h1").networking().vnis().contains(appVni));
    }

    @Test
    void dhcpNetworksServeEachNicItsAddressOnEveryHostWhereverItsVmRuns() {
        assertThat(network("{\"name\":\"lan\",\"cidr\":\"10.5.0.0/24\",\"dhcp\":true}").status()).isEqualTo(201);
        assertThat(network("{\"name\":\"static\",\"cidr\":\"10.6.0.0/24\"}").status()).isEqualTo(201);
        JsonNode a = created(vm("a", "h1", "[{\"network\":\"lan\",\"ip\":\"10.5.0.9\"},{\"network\":\"static\"}]"));
        String mac = a.path("nics").get(0).path("mac").asText();
        String staticMac = a.path("nics").get(1).path("mac").asText();
        var sim = SimDatacenter.named(dc);
        // the lease is on every host at once (it was ensured on h1 before a was defined there; the sync round does the rest)
        assertThat(sim.dhcpLease("h1", "lan", mac)).contains("10.5.0.9");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.dhcpLease("h3", "lan", mac).isPresent());
        assertThat(sim.dhcpLease("h3", "lan", mac)).contains("10.5.0.9");
        assertThat(sim.dhcpLease("h1", "static", staticMac)).as("no DHCP on a network with dhcp off").isEmpty();
        assertThat(sim.dhcpLease("h1", "lan", "52:54:00:ff:ff:ff")).as("static leases only").isEmpty();

        var m = s.post("/api/v1/vms/a/migrate", "{\"to\":\"h2\"}");
        s.awaitTask(m.json().path("id").asText());
        assertThat(sim.dhcpLease("h2", "lan", mac)).contains("10.5.0.9");
        s.awaitTask(s.delete("/api/v1/vms/a").json().path("id").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.dhcpLease("h2", "lan", mac).isEmpty());
    }

    @Test
    void concurrentCreatesAskingForOneAddressGetItOnce() throws Exception {
        assertThat(network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        var pool = Executors.newFixedThreadPool(6);
        var calls = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < 6; i++) {
            String name = "v" + i;
            calls.add(() -> vm(name, "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.7\"}]").status());
        }
        var statuses = pool.invokeAll(calls).stream().map(f -> {
            try {
                return f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        pool.shutdown();
        assertThat(statuses).containsOnly(202, 409);
        assertThat(statuses.stream().filter(x -> x == 202).count()).isEqualTo(1);
        assertThat(s.get("/api/v1/networks/app").json().path("addresses")).hasSize(1);
    }

    @Test
    void nicsArePluggedIntoAndOutOfRunningVmsWithExactRefusalsAndNothingHalfMade() {
        assertThat(network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        assertThat(network("{\"name\":\"lan\",\"cidr\":\"10.5.0.0/24\",\"dhcp\":true}").status()).isEqualTo(201);
        created(vm("a", "h1", "[{\"network\":\"app\"}]"));
        created(vm("b", "h2", "[{\"network\":\"app\"}]"));
        JsonNode c = created(vm("c", "h2", "[{\"network\":\"lan\"}]"));
        var sim = SimDatacenter.named(dc);
        UUID idc = UUID.fromString(c.path("id").asText());
        assertThat(sim.reachable(idc, "10.5.0.9")).isFalse();

        var plugged = s.post("/api/v1/vms/a/nics", "{\"network\":\"lan\",\"ip\":\"10.5.0.9\"}");
        assertThat(plugged.status()).as(plugged.text()).isEqualTo(201);
        String mac = plugged.json().path("mac").asText();
        assertThat(mac).matches("52:54:00(:[0-9a-f]{2}){3}");
        assertThat(plugged.json().path("ip").asText()).isEqualTo("10.5.0.9");
        assertThat(s.get("/api/v1/vms/a").json().path("nics").get(1).path("mac").asText()).isEqualTo(mac);
        assertThat(sim.reachable(idc, "10.5.0.9")).as("hot-plugged: c reaches a on lan at once").isTrue();
        assertThat(sim.dhcpLease("h1", "lan", mac)).contains("10.5.0.9");

        refused(s.post("/api/v1/vms/a/nics", "{\"network\":\"lan\"}"), 409, "vm a already has a NIC on network lan");
        refused(s.post("/api/v1/vms/a/nics", "{\"network\":\"user\"}"), 400, "only NICs on private networks can be attached or detached");
        refused(s.post("/api/v1/vms/b/nics", "{\"network\":\"nope\"}"), 404, "network nope not found");
        refused(s.post("/api/v1/vms/b/nics", "{\"network\":\"lan\",\"ip\":\"10.5.0.9\"}"), 409, "address 10.5.0.9 on network lan is taken");
        refused(s.post("/api/v1/vms/b/nics", "{\"network\":\"lan\",\"ip\":\"10.6.0.9\"}"), 400, "address 10.6.0.9 is outside network lan (10.5.0.0/24)");
        refused(s.post("/api/v1/vms/b/nics", "{\"network\":\"lan\",\"mac\":\"01:00:5e:00:00:01\"}"), 400,
                "mac 01:00:5e:00:00:01 is a multicast address; a NIC needs a unicast one");
        refused(s.post("/api/v1/vms/b/nics", "{\"network\":\"lan\",\"mac\":\"" + mac + "\"}"), 409, "mac " + mac + " is taken");
        refused(s.post("/api/v1/vms/b/nics", "{\"network\":\"Lan!\"}"), 400, "network name must be 1-15 characters of a-z, 0-9 and '-',"
                + " starting with a letter (it must be safe in interface names), got 'Lan!'");
        refused(s.post("/api/v1/vms/zz/nics", "{\"network\":\"lan\"}"), 404, "vm zz not found");
        assertThat(s.get("/api/v1/vms/b").json().path("nics")).as("nothing half made").hasSize(1);
        assertThat(s.get("/api/v1/networks/lan").json().path("addresses")).hasSize(2);

        refused(s.delete("/api/v1/vms/a/nics/52:54:00:ff:ff:ff"), 404, "vm a has no NIC with mac 52:54:00:ff:ff:ff");
        refused(s.delete("/api/v1/vms/a/nics/BAD"), 400, "mac must be six lower-case hex pairs separated by ':', got 'BAD'");
        var unplugged = s.delete("/api/v1/vms/a/nics/" + mac);
        assertThat(unplugged.status()).as(unplugged.text()).isEqualTo(200);
        assertThat(unplugged.json().path("ip").asText()).isEqualTo("10.5.0.9");
        assertThat(s.get("/api/v1/vms/a").json().path("nics")).hasSize(1);
        assertThat(sim.reachable(idc, "10.5.0.9")).isFalse();
        // the address is free again, and a NIC plugged in keeps it through a migration
        JsonNode again = s.post("/api/v1/vms/b/nics", "{\"network\":\"lan\",\"ip\":\"10.5.0.9\"}").json();
        var m = s.post("/api/v1/vms/b/migrate", "{\"to\":\"h3\"}");
        s.awaitTask(m.json().path("id").asText());
        assertThat(s.get("/api/v1/vms/b").json().path("nics").get(1)).isEqualTo(again);
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(idc, "10.5.0.9"));
    }

    @Test
    void aVmCreatedInASecurityGroupIsGuardedFromItsFirstBoot() {
        assertThat(network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"}]}").status()).isEqualTo(201);
        JsonNode a = created(vm("a", "h1", "[{\"network\":\"app\"}]"));
        refused(s.post("/api/v1/vms", "{\"name\":\"d\",\"memory\":\"64M\",\"nics\":[{\"network\":\"app\",\"ip\":\"10.1.0.20\"}],"
                + "\"secgroups\":[\"web\",\"nope\"]}"), 404, "security group nope not found");
        assertThat(s.get("/api/v1/vms/d").status()).isEqualTo(404);
        assertThat(s.get("/api/v1/networks/app").json().path("addresses")).as("nothing half made").hasSize(1);
        refused(s.post("/api/v1/vms", "{\"name\":\"d\",\"memory\":\"64M\",\"secgroups\":[\"web\",\"web\"]}"), 400, "secgroups must not repeat");

        var d = s.post("/api/v1/vms", "{\"name\":\"d\",\"memory\":\"64M\",\"host\":\"h2\",\"nics\":[{\"network\":\"app\",\"ip\":\"10.1.0.20\"}],"
                + "\"secgroups\":[\"web\"]}");
        created(d);
        assertThat(s.get("/api/v1/secgroups/web").json().path("members").toString()).isEqualTo("[\"d\"]");
        var sim = SimDatacenter.named(dc);
        UUID ida = UUID.fromString(a.path("id").asText());
        var tcp = io.polyvisor.network.SecurityGroup.Protocol.TCP;
        // no sync round needed: the firewall was applied on h2 before d was defined there
        assertThat(sim.reachable(ida, "10.1.0.20", tcp, 80)).isTrue();
        assertThat(sim.reachable(ida, "10.1.0.20", tcp, 8080)).as("guarded from its first boot").isFalse();
    }

    @Test
    void egressRulesLimitWhatMembersOpenAndAreRefusedWithTheReasonWhenMalformed() {
        assertThat(network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        String[][] bad = { // one rule's JSON, the status, the problem's detail
            {"{\"direction\":\"outbound\",\"allow\":\"tcp:80\",\"to\":\"10.1.0.0/24\"}", "400", "direction must be ingress or egress, got 'outbound'"},
            {"{\"direction\":\"egress\",\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"}", "400", "an egress rule takes 'to', not 'from'"},
            {"{\"direction\":\"egress\",\"allow\":\"tcp:80\"}", "400", "an egress rule needs 'to' (a CIDR such as 10.0.0.0/24, or secgroup:NAME)"},
            {"{\"direction\":\"egress\",\"allow\":\"tcp:443-80\",\"to\":\"10.1.0.0/24\"}", "400", "port range 443-80 is reversed"},
            {"{\"direction\":\"egress\",\"allow\":\"gre\",\"to\":\"10.1.0.0/24\"}", "400",
                    "unknown protocol 'gre' in allow 'gre': use tcp:PORT[-PORT], udp:PORT[-PORT], icmp or any"},
            {"{\"direction\":\"egress\",\"allow\":\"tcp:80\",\"to\":\"10.1.0.5/24\"}", "400", "to 10.1.0.5/24 has host bits set; the block is 10.1.0.0/24"},
            {"{\"direction\":\"egress\",\"allow\":\"any\",\"to\":\"secgroup:db\"}", "404", "security group db not found (rule to secgroup:db)"},
        };
        for (String[] b : bad) {
            refused(s.post("/api/v1/secgroups", "{\"name\":\"out\",\"rules\":[" + b[0] + "]}"), Integer.parseInt(b[1]), b[2]);
        }
        assertThat(s.get("/api/v1/secgroups").json()).as("nothing half made").isEmpty();

        var made = s.post("/api/v1/secgroups", "{\"name\":\"out\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"},"
                + "{\"direction\":\"egress\",\"allow\":\"tcp:80\",\"to\":\"10.1.0.0/24\"}]}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.json().path("rules").toString()).isEqualTo("[{\"direction\":\"ingress\",\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\",\"to\":null},"
                + "{\"direction\":\"egress\",\"allow\":\"tcp:80\",\"from\":null,\"to\":\"10.1.0.0/24\"}]");
        JsonNode a = created(vm("a", "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.10\"}]"));
        JsonNode b = created(vm("b", "h2", "[{\"network\":\"app\",\"ip\":\"10.1.0.20\"}]"));
        var sim = SimDatacenter.named(dc);
        UUID ida = UUID.fromString(a.path("id").asText()), idb = UUID.fromString(b.path("id").asText());
        var tcp = io.polyvisor.network.SecurityGroup.Protocol.TCP;
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(ida, "10.1.0.20", tcp, 8080));
        assertThat(s.post("/api/v1/secgroups/out/members", "{\"vm\":\"a\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.reachable(ida, "10.1.0.20", tcp, 8080));
        assertThat(sim.reachable(ida, "10.1.0.20", tcp, 80)).as("the egress rule's port").isTrue();
        assertThat(sim.reachable(idb, "10.1.0.10", tcp, 80)).as("a's ingress rule").isTrue();
        assertThat(sim.reachable(idb, "10.1.0.10", tcp, 22)).isFalse();
        // rules replaced in place: egress open again once no rule restricts it
        refused(s.put("/api/v1/secgroups/out/rules", "{}"), 400, "rules is required (an empty list removes every rule)");
        refused(s.put("/api/v1/secgroups/nope/rules", "{\"rules\":[]}"), 404, "security group nope not found");
        refused(s.put("/api/v1/secgroups/out/rules", "{\"rules\":[{\"direction\":\"egress\",\"allow\":\"udp:70000\",\"to\":\"10.1.0.0/24\"}]}"), 400,
                "port must be between 1 and 65535, got 70000");
        assertThat(s.get("/api/v1/secgroups/out").json().path("rules")).as("nothing half made").isEqualTo(made.json().path("rules"));
        var open = s.put("/api/v1/secgroups/out/rules", "{\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"}]}");
        assertThat(open.status()).as(open.text()).isEqualTo(200);
        assertThat(open.json().path("members").toString()).isEqualTo("[\"a\"]");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(ida, "10.1.0.20", tcp, 8080));
        var again = s.put("/api/v1/secgroups/out/rules", "{\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"},"
                + "{\"direction\":\"egress\",\"allow\":\"tcp:80\",\"to\":\"10.1.0.0/24\"}]}");
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.reachable(ida, "10.1.0.20", tcp, 8080));
        // the stored rules survive a server restart as they were written
        s.close();
        s = TestServer.start(data, 0);
        assertThat(s.get("/api/v1/secgroups/out").json().path("rules")).isEqualTo(made.json().path("rules"));
    }

    @Test
    void rulesAreAddedAndRemovedOneAtATimeAndConcurrentEditsOfOneGroupAreAllKept() throws Exception {
        assertThat(network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"}]}").status())
                .isEqualTo(201);
        JsonNode a = created(vm("a", "h1", "[{\"network\":\"app\",\"ip\":\"10.1.0.10\"}]"));
        JsonNode b = created(vm("b", "h2", "[{\"network\":\"app\",\"ip\":\"10.1.0.20\"}]"));
        assertThat(s.post("/api/v1/secgroups/web/members", "{\"vm\":\"a\"}").status()).isEqualTo(200);
        var sim = SimDatacenter.named(dc);
        UUID idb = UUID.fromString(b.path("id").asText());
        var tcp = io.polyvisor.network.SecurityGroup.Protocol.TCP;
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.reachable(idb, "10.1.0.10", tcp, 22));

        var added = s.post("/api/v1/secgroups/web/rules", "{\"allow\":\"tcp:22\",\"from\":\"10.1.0.20/32\"}");
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(added.json().path("rules").findValuesAsText("allow")).containsExactly("tcp:80", "tcp:22");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(idb, "10.1.0.10", tcp, 22));
        refused(s.post("/api/v1/secgroups/web/rules", "{\"allow\":\"tcp:22\",\"from\":\"10.1.0.20/32\"}"), 409,
                "security group web already has rule ingress tcp:22 from 10.1.0.20/32");
        refused(s.post("/api/v1/secgroups/web/rules", "{\"allow\":\"tcp:22\",\"to\":\"10.1.0.20/32\"}"), 400,
                "an ingress rule takes 'from', not 'to'");
        refused(s.post("/api/v1/secgroups/nope/rules", "{\"allow\":\"tcp:22\",\"from\":\"10.1.0.20/32\"}"), 404, "security group nope not found");
        refused(s.post("/api/v1/secgroups/web/rules/remove", "{\"allow\":\"tcp:23\",\"from\":\"10.1.0.20/32\"}"), 404,
                "security group web has no rule ingress tcp:23 from 10.1.0.20/32");
        var removed = s.post("/api/v1/secgroups/web/rules/remove", "{\"allow\":\"tcp:22\",\"from\":\"10.1.0.20/32\"}");
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        assertThat(removed.json().path("rules").findValuesAsText("allow")).containsExactly("tcp:80");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.reachable(idb, "10.1.0.10", tcp, 22));

        // 16 adds at once, each of its own port: every one is kept (each read-modify-write sees the others' writes)
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
        for (int port = 9000; port < 9016; port++) {
            String body = "{\"allow\":\"tcp:" + port + "\",\"from\":\"10.1.0.0/24\"}";
            answers.add(pool.submit(() -> s.post("/api/v1/secgroups/web/rules", body).status()));
        }
        for (var f : answers) assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        pool.shutdown();
        assertThat(s.get("/api/v1/secgroups/web").json().path("rules").findValuesAsText("allow")).hasSize(17).contains("tcp:9000", "tcp:9015");
    }

    @Test
    void aHostTakenOverLosesTheFirewallAndNetworksAnEarlierServerLeftAtOnce() {
        var sim = SimDatacenter.named(dc);
        var h4 = sim.addHost("h4", 8, 4L << 30);
        try (var earlier = sim.connect("h4")) { // what an earlier server process left on h4
            earlier.networking().ensure(io.polyvisor.spi.HostNetwork.of(new io.polyvisor.network.Network("old", io.polyvisor.network.Cidr.parse("10.50.0.0/24"), null, false, 4999), java.util.Set.of(), java.util.List.of()));
            var rule = io.polyvisor.network.SecurityGroup.Rule.parse("egress", "tcp:80", null, "10.50.0.0/24");
            var allow = new io.polyvisor.network.HostFirewall.Allow(rule.protocol(), rule.fromPort(), rule.toPort(), (io.polyvisor.network.SecurityGroup.Remote.Block) rule.remote());
            earlier.networking().firewall(new io.polyvisor.network.HostFirewall(java.util.List.of(
                    new io.polyvisor.network.HostFirewall.Guard("10.50.0.9", null, java.util.List.of(), true, java.util.List.of(allow)))));
        }
        assertThat(sim.firewall("h4").guards()).hasSize(1);
        // this server has nothing to keep (no network, no group): its rounds are idle when it takes h4 over
        var r = s.post("/api/v1/hosts", "{\"uri\":\"" + h4 + "\",\"name\":\"h4\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.firewall("h4").guards().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (var c = sim.connect("h4")) {
                return c.networking().vnis().isEmpty();
            }
        });
        System.out.printf("h4 reconciled %.2f s after it was added%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aVmWithoutNicsKeepsOneUserModeNic() {
        JsonNode v = created(s.post("/api/v1/vms", "{\"name\":\"u\",\"memory\":\"64M\"}"));
        assertThat(v.path("nics")).hasSize(1);
        assertThat(v.path("nics").get(0).path("network").asText()).isEqualTo("user");
        assertThat(v.path("nics").get(0).path("ip").isNull()).isTrue();
        refused(s.post("/api/v1/vms", "{\"name\":\"w\",\"memory\":\"64M\",\"expose\":[80],\"nics\":[{\"network\":\"app\"}]}"), 400,
                "expose forwards ports over the first NIC, which must then be user-mode: put {\"network\": \"user\"} first in nics");
    }

    @Test
    void securityGroupsGuardMembersOnTheirHostAndFollowThemThroughMigration() {
        assertThat(network("{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\"}").status()).isEqualTo(201);
        refused(s.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"everywhere\"}]}"), 400,
                "from must be a CIDR such as 10.0.0.0/24 or secgroup:NAME, got 'everywhere'");
        refused(s.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:99999\",\"from\":\"10.1.0.0/24\"}]}"), 400,
                "port must be between 1 and 65535, got 99999");
        refused(s.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"secgroup:nope\"}]}"), 404,
                "security group nope not found (rule from secgroup:nope)");
        var made = s.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:80\",\"from\":\"10.1.0.0/24\"}]}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        refused(s.post("/api/v1/secgroups", "{\"name\":\"web\"}"), 409, "a security group named web already exists");
        JsonNode a = created(vm("a", "h1", "[{\"network\":\"app\"}]"));
        JsonNode b = created(vm("b", "h2", "[{\"network\":\"app\",\"ip\":\"10.1.0.11\"}]"));
        var sim = SimDatacenter.named(dc);
        UUID ida = UUID.fromString(a.path("id").asText());
        var tcp = io.polyvisor.network.SecurityGroup.Protocol.TCP;
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(ida, "10.1.0.11", tcp, 8080));

        var joined = s.post("/api/v1/secgroups/web/members", "{\"vm\":\"b\"}");
        assertThat(joined.status()).as(joined.text()).isEqualTo(200);
        assertThat(joined.json().path("members").toString()).isEqualTo("[\"b\"]");
        refused(s.post("/api/v1/secgroups/web/members", "{\"vm\":\"b\"}"), 409, "the VM is already a member of security group web");
        refused(s.post("/api/v1/secgroups/web/members", "{\"vm\":\"zz\"}"), 404, "vm zz not found");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.reachable(ida, "10.1.0.11", tcp, 8080));
        assertThat(sim.reachable(ida, "10.1.0.11", tcp, 80)).as("tcp:80 from app's range").isTrue();

        // the guard goes with b to its new host, before it runs there
        var m = s.post("/api/v1/vms/b/migrate", "{\"to\":\"h3\"}");
        s.awaitTask(m.json().path("id").asText());
        assertThat(sim.reachable(ida, "10.1.0.11", tcp, 8080)).isFalse();
        assertThat(sim.reachable(ida, "10.1.0.11", tcp, 80)).isTrue();

        refused(s.delete("/api/v1/secgroups/web"), 409, "security group web still has member vm b");
        var left = s.delete("/api/v1/secgroups/web/members/b");
        assertThat(left.status()).as(left.text()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reachable(ida, "10.1.0.11", tcp, 8080));
        assertThat(s.delete("/api/v1/secgroups/web").status()).isEqualTo(200);
        assertThat(s.get("/api/v1/secgroups").json()).isEmpty();
    }
}
