package io.polyvisor.cli;

import io.polyvisor.libvirt.TestFleet;
import io.polyvisor.libvirt.TinyGuest;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI driving a real QEMU guest under libvirt (a host of the test fleet, scripts/test-hosts): direct kernel
 * boot from files named on the command line, an exposed port that answers HTTP, stop and delete. Fails loudly when
 * libvirt or QEMU is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliRealVmTest {
    RunningServer server;
    URI host;

    @BeforeAll
    void start(@TempDir Path data) {
        host = TestFleet.up(1).get(0);
        TinyGuest.image();
        server = PolyvisorServer.start(ServerConfig.of(data).withPort(0));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private CliRun ok(String... args) {
        var r = ServerCli.run(server, args);
        assertThat(r.exit()).as("polyvisor %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    @Test
    void createsARealGuestThatAnswersOnItsExposedPortThenStopsAndDeletesIt() throws Exception {
        assertThat(ok("host", "add", host.toString(), "--name", "kvm1").out()).containsPattern("(?m)^kvm1 +connected +libvirt ");

        var img = TinyGuest.image();
        var created = ok("vm", "create", "clivm1", "--vcpus", "1", "--memory", "128M", "--host", "kvm1", "--expose", "80",
                "--kernel", img.kernel().toString(), "--initrd", img.initrd().toString(), "--cmdline", img.cmdline(),
                "--timeout", "2m");
        assertThat(created.out()).startsWith("vm clivm1 created: running on kvm1 (task ");

        var vm = Cli.JSON.readTree(ok("vm", "show", "clivm1", "-o", "json").out());
        assertThat(vm.at("/boot/type").asText()).isEqualTo("kernel");
        var address = vm.at("/endpoints/0/address").asText();
        assertThat(ok("vm", "list").out()).containsPattern("(?m)^clivm1 +running +kvm1 +1 +128 MiB .* 80->" + address.replace(".", "\\.") + " ");
        assertThat(awaitHttp(address, Duration.ofSeconds(60))).isEqualTo("clivm1");

        assertThat(ok("vm", "stop", "clivm1", "--timeout", "2m").out()).startsWith("vm clivm1 stopped: stopped on kvm1 (task ");
        assertThat(ok("vm", "delete", "clivm1").out()).startsWith("vm clivm1 deleted (task ");
        assertThat(ok("host", "remove", "kvm1").out()).isEqualTo("host kvm1 removed\n");
    }

    private static String awaitHttp(String address, Duration timeout) throws InterruptedException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return r.body().strip();
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no HTTP answer from " + address + " within " + timeout);
    }
}
