package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against a real in-process control plane (embedded store, two simulated hosts h1 and h2) on an ephemeral
 * port: what a user types, what they read, and the exit codes scripts rely on. Each test uses its own VM names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {
    RunningServer server;

    @BeforeAll
    void start(@TempDir Path data) {
        server = PolyvisorServer.start(ServerConfig.of(data).withPort(0).withSimHosts(2));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private CliRun cli(String... args) {
        return ServerCli.run(server, args);
    }

    private CliRun ok(String... args) {
        var r = cli(args);
        assertThat(r.exit()).as("polyvisor %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
        assertThat(r.err()).as("stderr of polyvisor %s", String.join(" ", args)).isEmpty();
        return r;
    }

    private JsonNode json(String... args) throws Exception {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        return Cli.JSON.readTree(ok(all.toArray(String[]::new)).out());
    }

    private static String other(String host) {
        return host.equals("h1") ? "h2" : "h1";
    }

    @Test
    void vmLifecycleFromCreateToDelete() throws Exception {
        var created = ok("vm", "create", "web1", "--vcpus", "1", "--memory", "256M");
        assertThat(created.out()).matches("vm web1 created: running on h[12] \\(task [0-9a-f-]+, \\d+\\.\\d\\d s\\)\n");

        assertThat(ok("vm", "list").out()).containsPattern("(?m)^NAME +STATE +HOST +VCPUS +MEMORY +PROTECTION +PRIORITY")
                .containsPattern("(?m)^web1 +running +h[12] +1 +256 MiB +none +3 ");
        var vm = findByName(json("vm", "list"), "web1");
        assertThat(vm.get("state").asText()).isEqualTo("running");
        assertThat(vm.get("memory_bytes").asLong()).isEqualTo(256L << 20);
        var host = vm.get("host").asText();

        assertThat(ok("vm", "show", "web1").out()).containsPattern("(?m)^state +running$").containsPattern("(?m)^memory_bytes +256 MiB$");
        assertThat(json("vm", "show", "web1").get("id").asText()).isEqualTo(vm.get("id").asText());

        assertThat(ok("vm", "stop", "web1").out()).startsWith("vm web1 stopped: stopped on " + host + " (task ");
        assertThat(ok("vm", "start", "web1").out()).startsWith("vm web1 started: running on " + host + " (task ");

        var migrated = json("vm", "migrate", "web1", "--to", other(host));
        assertThat(migrated.at("/task/status").asText()).isEqualTo("succeeded");
        assertThat(migrated.at("/vm/host").asText()).isEqualTo(other(host));
        assertThat(migrated.at("/vm/state").asText()).isEqualTo("running");

        var tasks = json("tasks", "--vm", "web1");
        assertThat(tasks.findValuesAsText("kind")).containsExactly("migrate", "start", "stop", "create");

        assertThat(ok("vm", "delete", "web1").out()).startsWith("vm web1 deleted (task ");
        var gone = cli("vm", "show", "web1");
        assertThat(gone.err()).isEqualTo("error: vm web1 not found\n");
        assertThat(gone.exit()).isEqualTo(Main.FAILED);

        // every step is in the event log, in order
        var types = new ArrayList<String>();
        for (var e : json("events", "--limit", "1000")) if (e.get("subject").asText().equals("web1")) types.add(e.get("type").asText());
        assertThat(types).containsSubsequence("vm.created", "task.succeeded", "task.succeeded", "task.succeeded", "task.succeeded", "vm.deleted");
        assertThat(types.stream().filter("task.succeeded"::equals)).hasSizeGreaterThanOrEqualTo(5);
        assertThat(ok("events").out()).containsPattern("(?m)^\\d+ +\\S+ +vm\\.created +web1 +web1 created on host h[12]");
        assertThat(json("tasks").get(0).get("kind").asText()).isEqualTo("delete");
        // the VM is gone, so its tasks name it by id
        assertThat(ok("tasks", "--limit", "1").out()).containsPattern("(?m)^\\S+ +delete +" + vm.get("id").asText() + " ");
    }

    @Test
    void serverErrorsPrintTheProblemDetailWithTheRightExitCode() {
        ok("vm", "create", "dup1", "--vcpus", "1", "--memory", "64M", "--no-start");
        var dup = cli("vm", "create", "dup1", "--vcpus", "1", "--memory", "64M");
        assertThat(dup.err()).isEqualTo("error: a VM named dup1 already exists\n");
        assertThat(dup.exit()).isEqualTo(Main.FAILED);

        var noHost = cli("vm", "migrate", "dup1", "--to", "h9");
        assertThat(noHost.exit()).isEqualTo(Main.FAILED);
        assertThat(noHost.err()).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");

        var memory = cli("vm", "create", "m0", "--vcpus", "1", "--memory", "0");
        assertThat(memory.err()).isEqualTo("error: memory must be between 16 MiB and 4 TiB, got 0\n");
        assertThat(memory.exit()).isEqualTo(Main.USAGE);

        var huge = cli("vm", "create", "huge1", "--vcpus", "1", "--memory", "1T");
        assertThat(huge.exit()).isEqualTo(Main.FAILED);
        assertThat(huge.err()).startsWith("error: ").contains("\nhint: hosts excluded, by rule: ");

        var scheme = cli("host", "add", "bogus://x/y");
        assertThat(scheme.err()).startsWith("error: no driver for URI scheme 'bogus'; known schemes: ");
        assertThat(scheme.exit()).isEqualTo(Main.USAGE);

        var badToken = CliRun.of(Map.of("POLYVISOR_TOKEN", "wrong"), "vm", "list", "--url", server.url().toString());
        assertThat(badToken.exit()).isEqualTo(Main.UNREACHABLE);
        assertThat(badToken.err()).startsWith("error: ").contains("hint: pass --token");
    }

    @Test
    void hostsAddMaintenanceRemove() throws Exception {
        var added = ok("host", "add", "sim://local/h9", "--label", "rack=r9");
        assertThat(added.out()).containsPattern("(?m)^h9 +connected +sim ");
        assertThat(ok("host", "list").out()).containsPattern("(?m)^h1 ").containsPattern("(?m)^h2 ").containsPattern("(?m)^h9 .*rack=r9");
        assertThat(ok("host", "maintenance", "h9", "on").out()).containsPattern("(?m)^h9 +maintenance ");
        assertThat(json("host", "show", "h9").get("state").asText()).isEqualTo("maintenance");
        assertThat(ok("host", "maintenance", "h9", "off").out()).containsPattern("(?m)^h9 +connected ");
        assertThat(ok("host", "remove", "h9").out()).isEqualTo("host h9 removed\n");
        var gone = cli("host", "show", "h9");
        assertThat(gone.err()).isEqualTo("error: host h9 not found\n");
        assertThat(gone.exit()).isEqualTo(Main.FAILED);
    }

    @Test
    void listFiltersByLabelAndHost() throws Exception {
        ok("vm", "create", "lab1", "--vcpus", "1", "--memory", "64M", "--label", "tier=batch", "--host", "h1");
        ok("vm", "create", "lab2", "--vcpus", "1", "--memory", "64M", "--label", "tier=front", "--host", "h2");
        assertThat(json("vm", "list", "--label", "tier=batch").findValuesAsText("name")).containsExactly("lab1");
        var onH2 = json("vm", "list", "--host", "h2").findValuesAsText("name");
        assertThat(onH2).contains("lab2").doesNotContain("lab1");
        var bad = cli("vm", "list", "--label", "tier");
        assertThat(bad.err()).isEqualTo("error: label must be written key=value, got 'tier'\n");
        assertThat(bad.exit()).isEqualTo(Main.USAGE);
    }

    @Test
    void noWaitReturnsTheTaskAndTasksListsIt() throws Exception {
        var accepted = json("vm", "create", "quick1", "--vcpus", "1", "--memory", "64M", "--no-wait");
        var taskId = accepted.at("/task/id").asText();
        assertThat(accepted.at("/vm/name").asText()).isEqualTo("quick1");
        assertThat(accepted.at("/task/kind").asText()).isEqualTo("create");
        assertThat(json("tasks", "--limit", "1000").findValuesAsText("id")).contains(taskId);
        assertThat(ok("tasks").out()).containsPattern("(?m)^ID +KIND +VM +TARGET +STATUS");
    }

    @Test
    void followStreamsNewEventsAsTheyHappen() throws Exception {
        long last = 0;
        for (var e : json("events", "--limit", "1")) last = e.get("seq").asLong();
        var after = Long.toString(last);
        var follow = CompletableFuture.supplyAsync(() -> cli("events", "--follow", "--after", after, "--count", "3"));
        ok("vm", "create", "follow1", "--vcpus", "1", "--memory", "64M");
        var r = follow.get(30, TimeUnit.SECONDS);
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().skip(1)).hasSize(3).allSatisfy(l -> assertThat(l).contains("follow1"));
        assertThat(r.out()).contains("vm.created");
    }

    @Test
    void followWithoutAfterPrintsTheTailThenOnlyNewEvents() throws Exception {
        var follow = CompletableFuture.supplyAsync(() -> cli("events", "--follow", "--limit", "0", "--count", "2"));
        Thread.sleep(1000); // in-process: the tail is read well within this
        ok("vm", "create", "follow2", "--vcpus", "1", "--memory", "64M");
        var r = follow.get(30, TimeUnit.SECONDS);
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().skip(1)).hasSize(2).allSatisfy(l -> assertThat(l).contains("follow2"));
    }

    @Test
    void driversMatrixMatchesWhatTheServerReports() throws Exception {
        var local = json("drivers");
        var names = local.findValuesAsText("name");
        assertThat(names).contains("sim", "libvirt");
        assertThat(ok("drivers").out()).containsPattern("(?m)^sim +yes +yes +yes +yes +yes +yes +yes +yes +yes +- +sim$");
        var fromServer = new ApiClient(server.url(), server.token()).get("/api/v1/drivers");
        assertThat(local).isEqualTo(fromServer);
    }

    private static JsonNode findByName(JsonNode items, String name) {
        for (var n : items) if (n.get("name").asText().equals(name)) return n;
        throw new AssertionError(name + " not in " + items);
    }
}
