package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server against its own OpenAPI document: every route of the route table is called at least once with a
 * request that succeeds, on a real server with simulated hosts, and every answer (and every JSON body sent) is
 * validated against the schema {@code /api/v1/openapi.json} publishes for that route and status
 * ({@link ConformanceClient}). Error answers are validated against Problem. A route added to the table without
 * a call here fails {@link #everyRouteAnswersAsDocumented}.
 */
class OpenApiConformanceTest {
    @TempDir
    static Path data;
    static TestServer s;
    static ConformanceClient api;
    static String dc;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        api = new ConformanceClient(s);
        dc = TestServer.uniqueDatacenter();
        for (String h : List.of("h1", "h2", "h3")) {
            var r = api.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\",\"labels\":{\"rack\":\"r1\"}}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @Test
    void everyRouteAnswersAsDocumented() {
        platform();
        console();
        hosts();
        vms();
        placementAndBalancing();
        tasksAndEvents();
        highAvailability();
        groups();
        coordination();
        storage();
        networks();
        retention();
        identity();
        removal();

        List<String> table = s.server.api().routes().stream().map(Route::key).map(OpenApi::documented).toList();
        var missed = new TreeSet<>(table);
        missed.removeAll(api.succeeded());
        assertThat(missed).as("routes of the table that no request here succeeded on").isEmpty();
        assertThat(api.succeeded()).isSubsetOf(table);
        assertThat(api.bodiesChecked()).isGreaterThan(table.size());
    }

    @Test
    void errorsAnswerAsProblems() {
        var notFound = api.get("/api/v1/vms/no-such-vm");
        assertThat(notFound.status()).isEqualTo(404);
        var unknownField = api.postInvalid("/api/v1/vms", "{\"name\":\"x\",\"memory\":\"64M\",\"colour\":\"red\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        var noToken = api.anonymous("GET", "/api/v1/hosts");
        assertThat(noToken.status()).isEqualTo(401);
        var tooBig = api.post("/api/v1/vms", "{\"name\":\"huge\",\"memory\":\"1T\"}");
        assertThat(tooBig.status()).as(tooBig.text()).isEqualTo(422);
        assertThat(tooBig.json().path("excluded_by").path("capacity").asInt()).isPositive();
        var dup = api.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1?cpus=8&memory=16G\"}");
        assertThat(dup.status()).isEqualTo(409);
        for (var r : List.of(notFound, unknownField, noToken, tooBig, dup)) {
            assertThat(r.contentType()).startsWith(Problems.CONTENT_TYPE);
        }
    }

    private void platform() {
        assertThat(api.get("/healthz").json().path("status").asText()).isEqualTo("ok");
        assertThat(api.get("/metrics").text()).contains("polyvisor_hosts");
        assertThat(api.get("/api/v1/openapi.json").json().path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(api.get("/api/v1/drivers").json().findValuesAsText("name")).contains("sim");
        // one server on H2: it leads and owns every host (docs/CLUSTER.md)
        assertThat(api.get("/api/v1/servers").json().path(0).path("role").asText()).isEqualTo("leader");
    }

    private void console() {
        assertThat(api.get("/").text()).contains("<script type=\"module\" src=\"/console/app.js\">");
        assertThat(api.get("/console.css").text()).contains("font-family");
        assertThat(api.get("/console/app.js").text()).contains("import");
        assertThat(api.get("/console/vendor/uPlot.esm.js").text()).contains("export");
        var session = api.post("/api/v1/session", "{\"token\":\"" + s.server.token() + "\"}");
        assertThat(session.status()).isEqualTo(201);
        assertThat(session.json().path("identity").asText()).isEqualTo("admin");
        assertThat(api.delete("/api/v1/session").status()).isEqualTo(204);
    }

    private void hosts() {
        assertThat(api.get("/api/v1/hosts").json()).hasSize(3);
        assertThat(api.get("/api/v1/hosts/h1").json().path("driver").asText()).isEqualTo("sim");
        assertThat(api.get("/api/v1/hosts/h1/history").json().path("step_seconds").asInt()).isEqualTo(10);
    }

    private void vms() {
        create("{\"name\":\"web\",\"vcpus\":1,\"memory\":\"128M\",\"host\":\"h1\",\"protection\":\"standby\",\"expose\":[80],"
                + "\"labels\":{\"app\":\"web\"},\"boot\":{\"kernel\":\"/boot/vmlinuz\",\"cmdline\":\"console=ttyS0\"}}");
        create("{\"name\":\"db\",\"memory_bytes\":134217728,\"host\":\"h2\",\"priority\":4,\"protection\":\"restart\","
                + "\"boot\":{\"image\":\"/images/db.qcow2\"}}");
        create("{\"name\":\"cold\",\"memory\":\"64M\",\"host\":\"h3\",\"start\":false}");
        s.await("/api/v1/vms/web-standby", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));

        assertThat(api.get("/api/v1/vms").json()).extracting(v -> v.path("name").asText()).contains("web", "web-standby", "db", "cold");
        assertThat(api.get("/api/v1/vms?host=h1&label=app=web").json()).extracting(v -> v.path("name").asText()).containsExactly("web");
        assertThat(api.get("/api/v1/vms/web").json().path("ha").path("standby").path("name").asText()).isEqualTo("web-standby");
        assertThat(api.get("/api/v1/vms/web-standby").json().path("ha").path("primary").path("name").asText()).isEqualTo("web");
        assertThat(api.get("/api/v1/vms/db").json().path("ha").isNull()).isTrue();
        assertThat(api.get("/api/v1/vms/db/history").json().path("name").asText()).isEqualTo("db");

        run("/api/v1/vms/db/suspend", null);
        run("/api/v1/vms/db/resume", "{}");
        run("/api/v1/vms/db/reboot", null);
        run("/api/v1/vms/db/stop", "{\"force\":true}");
        run("/api/v1/vms/db/start", null);
        run("/api/v1/vms/db/migrate", "{\"to\":\"h3\"}");
        run("/api/v1/vms/db/stop", null);
        run("/api/v1/vms/db/start", "");
    }

    private void placementAndBalancing() {
        assertThat(api.get("/api/v1/vms/db/placement").json().path("decision").path("host").isTextual()).isTrue();
        // with every host in maintenance no host fits: the explanation's decision is a rejection
        for (String h : List.of("h1", "h2", "h3")) {
            assertThat(api.post("/api/v1/hosts/" + h + "/maintenance", "{\"enabled\":true}").json().path("state").asText())
                    .isEqualTo("maintenance");
        }
        var nowhere = api.get("/api/v1/vms/db/placement").json();
        assertThat(nowhere.path("decision").path("excluded_by").path("host-state").asInt()).isEqualTo(3);
        for (String h : List.of("h1", "h2", "h3")) {
            assertThat(api.post("/api/v1/hosts/" + h + "/maintenance", "{\"enabled\":false}").json().path("state").asText())
                    .isEqualTo("connected");
        }

        assertThat(api.get("/api/v1/balance/settings").json().path("automation").asText()).isEqualTo("manual");
        assertThat(api.post("/api/v1/balance/settings", "{\"mode\":\"balance\",\"automation\":\"manual\"}").status()).isEqualTo(200);
        var plan = api.get("/api/v1/plans/balance?mode=consolidate").json();
        assertThat(plan.path("moves")).as("a consolidation plan with moves, so their schema is checked too").isNotEmpty();
        var applied = api.post("/api/v1/plans/balance/apply", "{\"mode\":\"consolidate\"}");
        assertThat(applied.status()).isEqualTo(202);
        for (JsonNode m : applied.json().path("moves")) {
            if (m.hasNonNull("task")) s.awaitTask(m.path("task").asText());
        }
    }

    private void tasksAndEvents() {
        var tasks = api.get("/api/v1/tasks?vm=db&limit=20").json();
        assertThat(tasks.findValuesAsText("kind")).contains("create", "migrate", "stop");
        assertThat(api.get("/api/v1/tasks/" + tasks.get(0).path("id").asText()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/events?limit=50").json()).isNotEmpty();
        assertThat(api.firstStreamedEvent("/api/v1/events/stream").path("seq").asLong()).isPositive();
    }

    private void highAvailability() {
        var status = api.get("/api/v1/ha/status").json();
        assertThat(status.path("protected_vms").findValuesAsText("name")).contains("web", "db");
        assertThat(api.get("/api/v1/ha/settings").json().path("fence_retry_seconds").asInt()).isEqualTo(30);
        assertThat(api.put("/api/v1/ha/settings", "{\"fence_retry_seconds\":60}").json().path("fence_retry_seconds").asInt())
                .isEqualTo(60);
        String fence = "/api/v1/ha/hosts/h1/fence-agent";
        assertThat(api.get(fence).json().path("agent").isNull()).isTrue();
        var set = api.put(fence, "{\"agent\":\"fence_ipmilan\",\"options\":{\"ip\":\"10.0.0.11\",\"password\":\"secret\"}}");
        assertThat(set.json().path("options").path("password").asText()).isEqualTo("***");
        assertThat(api.get(fence).json().path("agent").asText()).isEqualTo("fence_ipmilan");
    }

    private void groups() {
        var created = api.post("/api/v1/groups", "{\"name\":\"pool\",\"memory\":\"64M\",\"port\":80,\"min\":1,\"max\":3,"
                + "\"target\":\"metric:queue=5\",\"boot\":{\"kernel\":\"/boot/k\",\"initrd\":\"/boot/i\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        // the controller launches the first member; it never enters rotation here (nothing serves its port)
        // running: the peers' index below must not move while the test reads it
        var withMember = s.await("/api/v1/groups/pool", g -> g.path("members").size() == 1
                && g.path("members").get(0).path("vm_state").asText().equals("running")
                && g.path("decisions").size() > 0, Duration.ofSeconds(20));
        String member = withMember.path("members").get(0).path("name").asText();
        assertThat(api.get("/api/v1/groups/pool").json().path("members").get(0).path("in_rotation").asBoolean()).isFalse();
        assertThat(api.post("/api/v1/groups/pool/metrics", "{\"member\":\"" + member + "\",\"name\":\"queue\",\"value\":3.5}").status())
                .isEqualTo(204);
        // the member itself, through the guest API: its group's members, and a sample of the metric the group tracks
        String token = api.post("/api/v1/vms/" + member + "/coord-token", "").json().path("token").asText();
        assertThat(api.guest(token, "GET", "/v1/peers", null).json().path("peers").findValuesAsText("name")).containsExactly(member);
        String index = api.get("/api/v1/coord/pool/peers").json().path("index").asText();
        assertThat(api.guest(token, "GET", "/v1/peers?wait=0&index=" + index, null).json().path("index").asText()).isEqualTo(index);
        assertThat(api.guest(token, "POST", "/v1/metrics", "{\"name\":\"queue\",\"value\":2}").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/groups").json().findValuesAsText("name")).containsExactly("pool");
        assertThat(api.put("/api/v1/groups/pool", "{\"max\":4,\"target\":\"none\"}").json().path("max").asInt()).isEqualTo(4);
        assertThat(api.post("/api/v1/groups/pool/scale", "{\"desired\":2}").json().path("desired").asInt()).isEqualTo(2);
        var deleted = api.delete("/api/v1/groups/pool");
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.json().path("state").asText()).isEqualTo("deleting");
        s.await("/api/v1/groups", gs -> gs.isEmpty(), Duration.ofSeconds(30));
    }

    private void removal() {
        var d = api.delete("/api/v1/vms/cold");
        assertThat(d.status()).isEqualTo(202);
        s.awaitTask(d.json().path("id").asText());
        assertThat(api.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/spare\"}").status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/hosts/spare").status()).isEqualTo(204);
    }

    private void networks() {
        var made = api.post("/api/v1/networks", "{\"name\":\"app\",\"cidr\":\"10.1.0.0/24\",\"gateway\":\"10.1.0.254\",\"dhcp\":false}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        create("{\"name\":\"wired\",\"memory\":\"64M\",\"nics\":[{\"network\":\"app\",\"ip\":\"10.1.0.9\"},{\"network\":\"user\"}]}");
        assertThat(api.get("/api/v1/vms/wired").json().path("nics").get(0).path("ip").asText()).isEqualTo("10.1.0.9");
        assertThat(api.get("/api/v1/networks").json()).hasSize(1);
        assertThat(api.get("/api/v1/networks/app").json().path("addresses")).hasSize(1);
        var sg = api.post("/api/v1/secgroups", "{\"name\":\"web\",\"rules\":[{\"allow\":\"tcp:80-81\",\"from\":\"10.1.0.0/24\"},"
                + "{\"allow\":\"icmp\",\"from\":\"secgroup:web\"},{\"direction\":\"egress\",\"allow\":\"any\",\"to\":\"10.1.0.0/24\"}]}");
        assertThat(sg.status()).as(sg.text()).isEqualTo(201);
        assertThat(api.post("/api/v1/secgroups/web/members", "{\"vm\":\"wired\"}").json().path("members")).hasSize(1);
        assertThat(api.get("/api/v1/secgroups").json()).hasSize(1);
        assertThat(api.get("/api/v1/secgroups/web").json().path("rules")).hasSize(3);
        var replaced = api.put("/api/v1/secgroups/web/rules", "{\"rules\":[{\"direction\":\"egress\",\"allow\":\"udp:53\",\"to\":\"10.1.0.0/24\"}]}");
        assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
        assertThat(replaced.json().path("rules")).hasSize(1);
        assertThat(api.post("/api/v1/secgroups/web/rules", "{\"allow\":\"icmp\",\"from\":\"10.1.0.0/24\"}").json().path("rules")).hasSize(2);
        assertThat(api.post("/api/v1/secgroups/web/rules/remove", "{\"allow\":\"icmp\",\"from\":\"10.1.0.0/24\"}").json().path("rules")).hasSize(1);
        assertThat(api.delete("/api/v1/secgroups/web/members/wired").json().path("members")).isEmpty();
        assertThat(api.post("/api/v1/networks", "{\"name\":\"back\",\"cidr\":\"10.2.0.0/24\",\"dhcp\":true}").status()).isEqualTo(201);
        var plugged = api.post("/api/v1/vms/wired/nics", "{\"network\":\"back\",\"ip\":\"10.2.0.7\",\"mac\":\"52:54:00:02:00:07\"}");
        assertThat(plugged.status()).as(plugged.text()).isEqualTo(201);
        assertThat(api.get("/api/v1/vms/wired").json().path("nics")).hasSize(3);
        assertThat(api.post("/api/v1/vms/wired/nics", "{\"network\":\"back\"}").status()).isEqualTo(409);
        assertThat(api.delete("/api/v1/vms/wired/nics/52:54:00:02:00:07").json().path("ip").asText()).isEqualTo("10.2.0.7");
        assertThat(api.delete("/api/v1/vms/wired/nics/52:54:00:02:00:07").status()).isEqualTo(404);
        create("{\"name\":\"guarded\",\"memory\":\"64M\",\"nics\":[{\"network\":\"app\"}],\"secgroups\":[\"web\"]}");
        assertThat(api.get("/api/v1/secgroups/web").json().path("members")).hasSize(1);
        s.awaitTask(api.delete("/api/v1/vms/guarded").json().path("id").asText());
        assertThat(api.delete("/api/v1/networks/back").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/secgroups/web").status()).isEqualTo(200);
        var d = api.delete("/api/v1/vms/wired");
        s.awaitTask(d.json().path("id").asText());
        assertThat(api.delete("/api/v1/networks/app").status()).isEqualTo(200);
    }

    private void retention() {
        assertThat(api.get("/api/v1/retention").json().path("events_max_count").asLong()).isEqualTo(1_000_000);
        assertThat(api.post("/api/v1/retention", "{\"tasks_max_count\":50000}").json().path("tasks_max_count").asInt()).isEqualTo(50_000);
        assertThat(api.post("/api/v1/retention/prune", "").json().path("events").asLong()).isZero();
    }

    private void coordination() {
        create("{\"name\":\"member\",\"memory\":\"64M\",\"labels\":{\"group\":\"g\"}}");
        var minted = api.post("/api/v1/vms/member/coord-token", "");
        assertThat(minted.status()).as(minted.text()).isEqualTo(201);
        String token = minted.json().path("token").asText();
        assertThat(api.put("/api/v1/coord/g/kv/config/url?cas=0", "{\"value\":\"pg://a\"}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/coord/g/kv/config/url").json().path("revision").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/coord/g/kv?prefix=config/&wait=0&index=0").json().path("entries")).hasSize(1);
        assertThat(api.delete("/api/v1/coord/g/kv/config/url?cas=1").json().path("deleted").asBoolean()).isTrue();
        assertThat(api.post("/api/v1/coord/g/leases/leader", "{\"holder\":\"member\",\"ttl_s\":30}").json().path("token").asLong())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/coord/g/leases/leader").json().path("holder").asText()).isEqualTo("member");
        assertThat(api.get("/api/v1/coord/g/leases").json()).hasSize(1);
        assertThat(api.get("/api/v1/coord/leases").json()).hasSize(1);
        assertThat(api.put("/api/v1/coord/settings", "{\"per_second\":100}").json().path("burst").asInt()).isEqualTo(100);
        assertThat(api.get("/api/v1/coord/settings").json().path("per_second").asDouble()).isEqualTo(100.0);
        var released = api.delete("/api/v1/coord/g/leases/leader");
        assertThat(released.status()).isEqualTo(200);

        assertThat(api.guest(token, "GET", "/v1/self", null).json().path("group").asText()).isEqualTo("g");
        assertThat(api.put("/api/v1/vms/member/user-data", "{\"user_data\":\"role=a\"}").json().path("bytes").asInt()).isEqualTo(6);
        assertThat(api.get("/api/v1/vms/member/user-data").json().path("user_data").asText()).isEqualTo("role=a");
        assertThat(api.guest(token, "GET", "/v1/self/user-data", null).text()).isEqualTo("role=a");
        assertThat(api.delete("/api/v1/vms/member/user-data").json().path("bytes").asInt()).isZero();
        assertThat(api.guest(token, "PUT", "/v1/kv/a/b", "{\"value\":\"v\"}").status()).isEqualTo(200);
        assertThat(api.guest(token, "GET", "/v1/kv/a/b?wait=1&index=0", null).json().path("value").asText()).isEqualTo("v");
        assertThat(api.guest(token, "GET", "/v1/kv", null).json().path("entries")).hasSize(1);
        var lease = api.guest(token, "POST", "/v1/leases/leader", "{\"ttl_s\":30}");
        assertThat(lease.json().path("token").asLong()).isEqualTo(2);
        assertThat(api.guest(token, "GET", "/v1/leases", null).json()).hasSize(1);
        assertThat(api.guest(token, "DELETE", "/v1/kv/a/b", null).status()).isEqualTo(200);
        assertThat(api.guest(token, "DELETE", "/v1/leases/leader", null).status()).isEqualTo(200);
        assertThat(api.guest(token, "POST", "/v1/messages/news", "{\"body\":\"hi\"}").json().path("seq").asLong()).isEqualTo(1);
        assertThat(api.post("/api/v1/coord/g/messages/news", "{\"body\":\"hello\"}").json().path("seq").asLong()).isEqualTo(2);
        assertThat(api.guest(token, "GET", "/v1/messages/news?after=0&wait=0", null).json().path("messages")).hasSize(2);
        assertThat(api.get("/api/v1/coord/g/messages/news?after=1").json().path("last_seq").asLong()).isEqualTo(2);
    }

    private void identity() {
        assertThat(api.post("/api/v1/projects", "{\"name\":\"team\",\"quota\":{\"vcpus\":4,\"vms\":2}}").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/projects").json()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(api.put("/api/v1/projects/team", "{\"quota\":{\"memory_bytes\":1073741824,\"vms\":null}}").json()
                .path("quota").path("memory_bytes").asLong()).isEqualTo(1L << 30);
        var created = api.post("/api/v1/users", "{\"name\":\"ann\",\"role\":\"viewer\",\"projects\":[\"team\"],\"expires\":\"1d\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(api.get("/api/v1/users").json()).hasSize(1);
        assertThat(api.get("/api/v1/users/ann").json().path("state").asText()).isEqualTo("active");
        assertThat(api.post("/api/v1/users/ann/rotate", "{\"expires\":\"2h\"}").json().path("token").asText()).startsWith("pv_");
        assertThat(api.post("/api/v1/users/ann/revoke", "").json().path("state").asText()).isEqualTo("revoked");
        assertThat(api.get("/api/v1/whoami").json().path("name").asText()).isEqualTo("admin");
        assertThat(api.get("/api/v1/audit?actor=admin&limit=10").json()).isNotEmpty();
        assertThat(api.post("/api/v1/projects", "{\"name\":\"gone\"}").status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/projects/gone").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/team").json().path("usage").path("vms").asLong()).isZero();
    }

    private void storage() {
        try {
            Path file = data.resolve("base.qcow2");
            java.nio.file.Files.createDirectories(data);
            var p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "16M").redirectErrorStream(true).start();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0).as("qemu-img create").isTrue();
            assertThat(api.post("/api/v1/images", "{\"name\":\"base\",\"file\":\"" + file + "\",\"format\":\"qcow2\"}").status()).isEqualTo(201);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(api.get("/api/v1/images").json().findValuesAsText("name")).containsExactly("base");
        assertThat(api.get("/api/v1/images/base").json().path("format").asText()).isEqualTo("qcow2");
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"vol\",\"size\":\"1G\",\"host\":\"h3\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"cow\",\"image\":\"base\"}").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/volumes").json()).hasSize(2);
        assertThat(api.get("/api/v1/volumes/vol").json().path("host").asText()).isEqualTo("h3");
        assertThat(api.post("/api/v1/volumes/vol/resize", "{\"size\":\"2G\"}").json().path("size_bytes").asLong()).isEqualTo(2L << 30);
        create("{\"name\":\"disky\",\"memory\":\"64M\",\"disks\":[\"vol\"]}");
        s.await("/api/v1/vms/disky", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        assertThat(api.get("/api/v1/vms/disky").json().path("disks").get(0).path("volume").asText()).isEqualTo("vol");
        assertThat(api.post("/api/v1/vms/disky/snapshots", "{\"name\":\"s1\"}").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/vms/disky/snapshots").json()).hasSize(1);
        assertThat(api.post("/api/v1/vms/disky/snapshots/s1/revert", "").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/vms/disky/snapshots/s1").status()).isEqualTo(204);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"extra\",\"size\":\"1G\",\"host\":\"h3\"}").status()).isEqualTo(201);
        var attached = api.post("/api/v1/vms/disky/disks", "{\"volume\":\"extra\"}");
        assertThat(attached.status()).as(attached.text()).isEqualTo(200);
        assertThat(api.delete("/api/v1/vms/disky/disks/extra").json().path("disks")).hasSize(1);
        assertThat(api.delete("/api/v1/volumes/extra").status()).isEqualTo(204);
        var pool = api.post("/api/v1/pools", "{\"name\":\"shared1\",\"path\":\"/srv/polyvisor-conformance\",\"hosts\":[\"h3\"]}");
        assertThat(pool.status()).as(pool.text()).isEqualTo(201);
        assertThat(api.post("/api/v1/pools/shared1/hosts", "{\"host\":\"h2\"}").json().path("hosts")).hasSize(2);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"onshared\",\"size\":\"1G\",\"pool\":\"shared1\"}").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/pools").json().findValuesAsText("name")).containsExactly("shared1");
        assertThat(api.get("/api/v1/pools/shared1").json().path("volumes").get(0).asText()).isEqualTo("onshared");
        assertThat(api.get("/api/v1/volumes/onshared").json().path("pool").asText()).isEqualTo("shared1");
        assertThat(api.delete("/api/v1/volumes/onshared").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/pools/shared1/hosts/h2").json().path("hosts")).hasSize(1);
        assertThat(api.delete("/api/v1/pools/shared1").status()).isEqualTo(204);
        run("/api/v1/vms/disky/stop", "{\"force\":true}");
        var clone = api.post("/api/v1/vms/disky/clone", "{\"name\":\"disky2\",\"start\":false}");
        assertThat(clone.status()).as(clone.text()).isEqualTo(202);
        s.awaitTask(clone.json().path("task").asText());
        assertThat(api.post("/api/v1/vms/disky/template", "{\"name\":\"tpl\"}").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/templates").json().findValuesAsText("name")).containsExactly("tpl");
        assertThat(api.get("/api/v1/templates/tpl").json().path("source").asText()).isEqualTo("disky");
        var linked = api.post("/api/v1/templates/tpl/clones", "{\"name\":\"linked1\",\"start\":false}");
        assertThat(linked.status()).as(linked.text()).isEqualTo(202);
        s.awaitTask(linked.json().path("task").asText());
        assertThat(api.delete("/api/v1/templates/tpl").status()).as("in use by linked1-root").isEqualTo(409);
        var gone = api.delete("/api/v1/vms/linked1");
        assertThat(gone.status()).as(gone.text()).isEqualTo(202);
        s.awaitTask(gone.json().path("id").asText());
        s.await("/api/v1/templates/tpl", t -> t.path("used_by").isEmpty(), Duration.ofSeconds(20));
        assertThat(api.delete("/api/v1/templates/tpl").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/volumes/cow").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/images/base").status()).isEqualTo(204);
    }

    private void create(String body) {
        var r = api.post("/api/v1/vms", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
    }

    private void run(String path, String body) {
        var r = api.post(path, body == null ? "" : body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("id").asText());
    }
}
