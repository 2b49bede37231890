package io.polyvisor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor network ...} and {@code vm create --network} against a real in-process server on simulated hosts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkCliTest {
    RunningServer server;

    @BeforeAll
    void start(@TempDir Path data) {
        server = PolyvisorServer.start(ServerConfig.of(data).withPort(0).withSimHosts(2));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    CliRun cli(String... args) {
        return ServerCli.run(server, args);
    }

    @Test
    void createListShowVmNicsAndDeleteOnlyOnceUnused() throws Exception {
        var made = cli("network", "create", "app", "--cidr", "10.1.0.0/24");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("Network app", "10.1.0.0/24", "gateway 10.1.0.1", "dhcp off", "bridge pvbr", "mtu 1450");
        var bad = cli("network", "create", "Bad!", "--cidr", "10.2.0.0/24");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("network name must be 1-15 characters of a-z, 0-9 and '-', starting with a letter");
        var overlap = cli("network", "create", "big", "--cidr", "10.0.0.0/8");
        assertThat(overlap.exit()).isNotZero();
        assertThat(overlap.err()).contains("cidr 10.0.0.0/8 overlaps network app (10.1.0.0/24)");
        assertThat(cli("network", "create", "x", "--cidr", "10.3.0.0/24", "--dhcp", "maybe").err()).contains("--dhcp must be on or off, got 'maybe'");

        var vm = cli("vm", "create", "a", "--vcpus", "1", "--memory", "64M", "--network", "app:10.1.0.20", "--network", "user");
        assertThat(vm.exit()).as(vm.err()).isZero();
        var badIp = cli("vm", "create", "b", "--vcpus", "1", "--memory", "64M", "--network", "app:10.1.0.300");
        assertThat(badIp.exit()).isNotZero();
        assertThat(badIp.err()).contains("--network app address must be an IPv4 address such as 10.0.0.5, got '10.1.0.300'");
        var taken = cli("vm", "create", "b", "--vcpus", "1", "--memory", "64M", "--network", "app:10.1.0.20");
        assertThat(taken.exit()).isNotZero();
        assertThat(taken.err()).contains("address 10.1.0.20 on network app is taken");

        var show = cli("-o", "json", "vm", "show", "a");
        assertThat(show.exit()).as(show.err()).isZero();
        var nics = new ObjectMapper().readTree(show.out()).path("nics");
        assertThat(nics).hasSize(2);
        assertThat(nics.get(0).path("network").asText()).isEqualTo("app");
        assertThat(nics.get(0).path("ip").asText()).isEqualTo("10.1.0.20");
        assertThat(nics.get(0).path("mac").asText()).startsWith("52:54:00:");
        assertThat(nics.get(1).path("network").asText()).isEqualTo("user");

        assertThat(cli("network", "list").out()).contains("NAME", "CIDR", "app", "10.1.0.0/24");
        var sg = cli("secgroup", "create", "web", "--allow", "tcp:80", "--allow", "icmp", "--from", "10.1.0.0/24");
        assertThat(sg.exit()).as(sg.err()).isZero();
        assertThat(sg.out()).contains("Security group web", "project: default", "tcp:80 from 10.1.0.0/24", "icmp from 10.1.0.0/24", "(egress: open)");
        assertThat(cli("project", "create", "red").exit()).isZero();
        var redSg = cli("secgroup", "create", "redsg", "--project", "red");
        assertThat(redSg.exit()).as(redSg.err()).isZero();
        assertThat(redSg.out()).contains("Security group redsg", "project: red");
        assertThat(cli("secgroup", "list").out()).contains("PROJECT", "redsg", "red");
        assertThat(cli("secgroup", "delete", "redsg").exit()).isZero();
        var out = cli("secgroup", "create", "out", "--allow", "tcp:22", "--from", "10.1.0.0/24", "--egress", "tcp:443", "--egress", "udp:53",
                "--to", "10.1.0.0/24");
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(out.out()).contains("tcp:22 from 10.1.0.0/24", "egress tcp:443 to 10.1.0.0/24", "egress udp:53 to 10.1.0.0/24")
                .doesNotContain("egress: open");
        var json = new ObjectMapper().readTree(cli("-o", "json", "secgroup", "show", "out").out());
        assertThat(json.path("rules").get(1).path("direction").asText()).isEqualTo("egress");
        assertThat(json.path("rules").get(1).path("to").asText()).isEqualTo("10.1.0.0/24");
        var badEgress = cli("secgroup", "create", "x", "--egress", "tcp:443", "--egress", "tcp:80", "--to", "10.0.0.0/8", "--to", "1.2.3.4/8");
        assertThat(badEgress.exit()).isNotZero();
        assertThat(badEgress.err()).contains("to 1.2.3.4/8 has host bits set; the block is 1.0.0.0/8");
        var noTo = cli("secgroup", "create", "x", "--egress", "tcp:443");
        assertThat(noTo.exit()).isNotZero();
        assertThat(noTo.err()).contains("give one --to for each --egress, or one --to for all; got 1 --egress and 0 --to");
        var replaced = cli("secgroup", "rules", "out", "--egress", "any", "--to", "secgroup:out");
        assertThat(replaced.exit()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("egress any to secgroup:out").doesNotContain("tcp:22");
        assertThat(cli("secgroup", "rules", "out").out()).contains("(members only)", "(egress: open)");
        var added = cli("secgroup", "rule", "add", "out", "--egress", "tcp:443", "--to", "10.1.0.0/24");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("egress tcp:443 to 10.1.0.0/24").doesNotContain("egress: open");
        assertThat(cli("secgroup", "rule", "add", "out", "--allow", "tcp:22", "--from", "10.1.0.0/24").out())
                .as("added after the others").contains("egress tcp:443 to 10.1.0.0/24, tcp:22 from 10.1.0.0/24");
        var twice = cli("secgroup", "rule", "add", "out", "--egress", "tcp:443", "--to", "10.1.0.0/24");
        assertThat(twice.exit()).isNotZero();
        assertThat(twice.err()).contains("security group out already has rule egress tcp:443 to 10.1.0.0/24");
        var two = cli("secgroup", "rule", "add", "out", "--allow", "tcp:1", "--allow", "tcp:2", "--from", "10.1.0.0/24");
        assertThat(two.exit()).isNotZero();
        assertThat(two.err()).contains("give exactly one rule: --allow with --from, or --egress with --to; got 2");
        var removed = cli("secgroup", "rule", "remove", "out", "--egress", "tcp:443", "--to", "10.1.0.0/24");
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("tcp:22 from 10.1.0.0/24", "(egress: open)").doesNotContain("tcp:443");
        assertThat(cli("secgroup", "rule", "remove", "out", "--egress", "tcp:443", "--to", "10.1.0.0/24").err())
                .contains("security group out has no rule egress tcp:443 to 10.1.0.0/24");
        assertThat(cli("secgroup", "delete", "out").exit()).isZero();
        var badSg = cli("secgroup", "create", "db", "--allow", "tcp:5432", "--allow", "tcp:22", "--from", "10.0.0.0/8", "--from", "x");
        assertThat(badSg.exit()).isNotZero();
        assertThat(badSg.err()).contains("from must be a CIDR such as 10.0.0.0/24 or secgroup:NAME, got 'x'");
        assertThat(cli("secgroup", "attach", "web", "a").out()).contains("Members: a");
        assertThat(cli("secgroup", "list").out()).contains("web", "tcp:80 from 10.1.0.0/24");
        assertThat(cli("secgroup", "delete", "web").err()).contains("security group web still has member vm a");
        assertThat(cli("secgroup", "detach", "web", "a").out()).contains("Members: none");
        assertThat(cli("secgroup", "delete", "web").exit()).isZero();
        assertThat(cli("network", "show", "app").out()).contains("10.1.0.20", "a");
        var refused = cli("network", "delete", "app");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("network app is in use by vm a");
        assertThat(cli("vm", "delete", "a").exit()).isZero();
        var deleted = cli("network", "delete", "app");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(cli("network", "list").out()).doesNotContain("10.1.0.0/24");
    }

    @Test
    void nicsArePluggedAndUnpluggedAndVmsCreatedInASecurityGroup() throws Exception {
        assertThat(cli("network", "create", "lan", "--cidr", "10.5.0.0/24", "--dhcp", "on").exit()).isZero();
        assertThat(cli("secgroup", "create", "db", "--allow", "tcp:5432", "--from", "10.5.0.0/24").exit()).isZero();
        var badGroup = cli("vm", "create", "p", "--vcpus", "1", "--memory", "64M", "--secgroup", "Bad!");
        assertThat(badGroup.exit()).isNotZero();
        assertThat(badGroup.err()).contains("secgroup name must be");
        var vm = cli("vm", "create", "p", "--vcpus", "1", "--memory", "64M", "--network", "lan", "--secgroup", "db");
        assertThat(vm.exit()).as(vm.err()).isZero();
        assertThat(cli("secgroup", "show", "db").out()).contains("Members: p");

        var plug = cli("vm", "attach-nic", "p", "--network", "user");
        assertThat(plug.exit()).isNotZero();
        assertThat(plug.err()).contains("only NICs on private networks can be attached or detached");
        assertThat(cli("vm", "attach-nic", "p", "--network", "lan").err()).contains("vm p already has a NIC on network lan");
        assertThat(cli("network", "create", "side", "--cidr", "10.6.0.0/24").exit()).isZero();
        var plugged = cli("vm", "attach-nic", "p", "--network", "side:10.6.0.7", "--mac", "52:54:00:06:00:07");
        assertThat(plugged.exit()).as(plugged.err()).isZero();
        assertThat(plugged.out()).contains("vm p: NIC 52:54:00:06:00:07 on side at 10.6.0.7 attached");
        var nics = new ObjectMapper().readTree(cli("-o", "json", "vm", "show", "p").out()).path("nics");
        assertThat(nics).hasSize(2);
        assertThat(cli("vm", "detach-nic", "p", "52:54:00:06:00:0Z").err()).contains("mac must be six lower-case hex pairs separated by ':', got '52:54:00:06:00:0Z'");
        var unplugged = cli("vm", "detach-nic", "p", "52:54:00:06:00:07");
        assertThat(unplugged.exit()).as(unplugged.err()).isZero();
        assertThat(unplugged.out()).contains("detached");
        assertThat(cli("network", "show", "side").out()).doesNotContain("10.6.0.7");
        assertThat(cli("vm", "delete", "p").exit()).isZero();
    }
}
