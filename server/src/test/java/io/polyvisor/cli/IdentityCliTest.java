package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor user|project|audit} and {@code vm ... --project} as each role, against a real in-process server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityCliTest {
    RunningServer server;

    @BeforeAll
    void start(@TempDir Path data) {
        server = PolyvisorServer.start(ServerConfig.of(data).withPort(0).withTiming(TestServer.FAST));
        var host = admin("host", "add", "sim://" + TestServer.uniqueDatacenter() + "/h1");
        assertThat(host.exit()).as(host.err()).isZero();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    CliRun admin(String... args) {
        return ServerCli.run(server, args);
    }

    CliRun as(String token, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", server.url().toString()));
        return CliRun.of(Map.of("POLYVISOR_TOKEN", token), all.toArray(String[]::new));
    }

    static JsonNode json(CliRun r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void rolesProjectsAndQuotasFromTheCommandLine() throws Exception {
        var project = admin("project", "create", "red", "--quota", "vcpus=3,memory=256M,vms=2");
        assertThat(project.exit()).as(project.err()).isZero();
        assertThat(project.out()).containsPattern("(?m)^NAME +VMS +VCPUS +MEMORY").contains("red", "0/2", "0/3", "0 B/256 MiB");
        assertThat(admin("project", "create", "blue").exit()).isZero();
        var badQuota = admin("project", "create", "green", "--quota", "cpus=2");
        assertThat(badQuota.exit()).isEqualTo(Main.USAGE);
        assertThat(badQuota.err()).contains("quota keys are vcpus, memory, vms and disk, got 'cpus'");

        String viewer = json(admin("-o", "json", "user", "create", "vera", "--role", "viewer", "--project", "red")).path("token").asText();
        var created = admin("user", "create", "otto", "--role", "operator", "--project", "red", "--expires", "30d");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("user otto created (operator of red)", "This token is shown once");
        String operator = created.out().lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow().substring(7);
        assertThat(operator).startsWith("pv_");
        assertThat(admin("user", "list").out()).containsPattern("(?m)^otto +operator +red +active");
        assertThat(as(viewer, "user", "whoami").out()).containsPattern("(?m)^vera +viewer +red");

        // the operator creates in its project until the quota says no, with the figures
        var r1 = as(operator, "vm", "create", "r1", "--vcpus", "2", "--memory", "128M", "--project", "red");
        assertThat(r1.exit()).as(r1.err()).isZero();
        var over = as(operator, "vm", "create", "r2", "--vcpus", "2", "--memory", "64M", "--project", "red");
        assertThat(over.exit()).isEqualTo(Main.FAILED);
        assertThat(over.err()).contains("error: project red is over its vcpus quota: 2 used + 2 asked > 3 limit");
        var blue = admin("vm", "create", "b1", "--vcpus", "1", "--memory", "64M", "--project", "blue");
        assertThat(blue.exit()).as(blue.err()).isZero();
        assertThat(admin("vm", "list").out()).contains("PROJECT", "b1", "r1");
        assertThat(as(operator, "vm", "list").out()).contains("r1").doesNotContain("b1");
        assertThat(json(as(viewer, "-o", "json", "vm", "show", "r1")).path("project").asText()).isEqualTo("red");
        var hidden = as(operator, "vm", "stop", "b1");
        assertThat(hidden.exit()).isEqualTo(Main.FAILED);
        assertThat(hidden.err()).contains("vm b1 not found");

        // the viewer may not write; the admin's routes are the admin's
        var write = as(viewer, "vm", "stop", "r1");
        assertThat(write.exit()).isEqualTo(Main.UNREACHABLE);
        assertThat(write.err()).contains("viewer vera may not call POST /api/v1/vms/{ref}/stop: it needs the operator or admin role");
        assertThat(as(operator, "user", "list").err()).contains("operator otto may not call GET /api/v1/users: it needs the admin role");

        // the operator acts in its project
        var stop = as(operator, "vm", "stop", "r1");
        assertThat(stop.exit()).as(stop.err()).isZero();
        var delete = as(operator, "vm", "delete", "r1");
        assertThat(delete.exit()).as(delete.err()).isZero();

        // rotate: the old token stops, the new one works; revoke: 401
        String rotated = json(admin("-o", "json", "user", "rotate", "otto")).path("token").asText();
        assertThat(as(operator, "vm", "list").exit()).isEqualTo(Main.UNREACHABLE);
        assertThat(as(rotated, "vm", "list").exit()).isZero();
        assertThat(admin("user", "revoke", "otto").out()).contains("revoked");
        var revoked = as(rotated, "vm", "list");
        assertThat(revoked.exit()).isEqualTo(Main.UNREACHABLE);
        assertThat(revoked.err()).contains("missing or wrong bearer token");

        // project delete waits for its VMs and users; the audit names who did what
        var busy = admin("project", "delete", "blue");
        assertThat(busy.exit()).isEqualTo(Main.FAILED);
        assertThat(busy.err()).contains("project blue holds 1 VM; delete them first");
        var audit = admin("audit", "--actor", "otto", "--limit", "1000");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("POST /api/v1/vms", "otto", "operator", "422", "DELETE /api/v1/vms/r1", "202");
        assertThat(admin("audit", "--actor", "vera").out()).contains("POST /api/v1/vms/r1/stop", "403");
        // the newest entry is the last state-changing request: the refused project delete
        var newest = admin("-o", "json", "audit", "--newest", "--limit", "1");
        assertThat(newest.exit()).as(newest.err()).isZero();
        assertThat(newest.out()).contains("/api/v1/projects/blue", "409").doesNotContain("/api/v1/vms/r1/stop");
        assertThat(admin("audit", "--newest", "--after", "3").err()).contains("--newest and --after cannot be combined");
    }
}
